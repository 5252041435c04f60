// SPDX-License-Identifier: MIT
// macOS only: a synchronous keychain read with Security.framework. It finds exactly what
// QtKeychain's Apple backend writes (a generic password: service "Gantry", account = key).
// Not compiled on Linux; checked by reading and by the clang + libc++ compile lane's
// sibling code (see README, "What is checked how on macOS").
#include "keychainwait.h"

#include <QByteArray>
#include <QString>

#include <CoreFoundation/CoreFoundation.h>
#include <Security/Security.h>

namespace Gantry::SecretStore {

namespace {
QString describeStatus(OSStatus status)
{
    CFStringRef text = SecCopyErrorMessageString(status, nullptr);
    const QString s = text ? QString::fromCFString(text) : QStringLiteral("OSStatus %1").arg(status);
    if (text)
        CFRelease(text);
    return s;
}
} // namespace

KeychainAnswer appleKeychainLookup(const QString &service, const QString &key)
{
    CFStringRef serviceRef = service.toCFString();
    CFStringRef accountRef = key.toCFString();
    const void *keys[] = {kSecClass, kSecAttrService, kSecAttrAccount, kSecReturnData, kSecMatchLimit};
    const void *values[] = {kSecClassGenericPassword, serviceRef, accountRef, kCFBooleanTrue, kSecMatchLimitOne};
    CFDictionaryRef query = CFDictionaryCreate(kCFAllocatorDefault, keys, values, 5, &kCFTypeDictionaryKeyCallBacks,
                                               &kCFTypeDictionaryValueCallBacks);
    CFTypeRef result = nullptr;
    const OSStatus status = SecItemCopyMatching(query, &result);
    KeychainAnswer answer;
    if (status == errSecSuccess && result && CFGetTypeID(result) == CFDataGetTypeID())
        answer = {KeychainAnswer::Found, QString::fromUtf8(QByteArray::fromCFData(static_cast<CFDataRef>(result))), {}};
    else if (status == errSecItemNotFound)
        answer = {KeychainAnswer::NotStored, {}, {}};
    else
        answer = {KeychainAnswer::Failed, {}, describeStatus(status)};
    if (result)
        CFRelease(result);
    CFRelease(query);
    CFRelease(accountRef);
    CFRelease(serviceRef);
    return answer;
}

} // namespace Gantry::SecretStore
