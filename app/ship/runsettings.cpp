// SPDX-License-Identifier: MIT
#include "runsettings.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Gantry::RunSettings {

namespace {

Failure bad(const QString &cause, const QString &fix) { return Failure(ErrorClass::Other, cause, fix); }

bool hasControlCharacters(const QString &s)
{
    for (const QChar c : s)
        if (c.category() == QChar::Other_Control)
            return true;
    return false;
}

/// "8080" or "8000-8010", each 1..65535, a range not backwards.
bool isPortOrRange(const QString &text)
{
    static const QRegularExpression rx(u"^(\\d{1,5})(?:-(\\d{1,5}))?$"_s);
    const auto m = rx.match(text);
    if (!m.hasMatch())
        return false;
    const int low = m.captured(1).toInt();
    const int high = m.captured(2).isEmpty() ? low : m.captured(2).toInt();
    return low >= 1 && high <= 65535 && low <= high;
}

QString shown(const QString &value) { return value.left(60); }

} // namespace

Status checkPort(const QString &value)
{
    const Failure failure = bad(u"'%1' is not a port mapping"_s.arg(shown(value)),
                                u"Write HOST_PORT:CONTAINER_PORT with ports from 1 to 65535, e.g. 8080:3000 or 127.0.0.1:8080:3000."_s);
    QString rest = value.trimmed();
    if (rest.isEmpty() || hasControlCharacters(rest))
        return failure;
    if (const qsizetype slash = rest.lastIndexOf(u'/'); slash >= 0) {
        const QString protocol = rest.mid(slash + 1);
        if (protocol != u"tcp" && protocol != u"udp" && protocol != u"sctp")
            return bad(u"'%1' names the protocol '%2'"_s.arg(shown(value), protocol.left(20)), u"Use /tcp, /udp or /sctp, or leave it out (tcp)."_s);
        rest.truncate(slash);
    }
    QString ip;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u"]:"_s);
        if (close < 0)
            return failure;
        ip = rest.mid(1, close - 1);
        rest = rest.mid(close + 2);
        if (QHostAddress(ip).protocol() != QAbstractSocket::IPv6Protocol)
            return bad(u"'%1' does not start with an IPv6 address"_s.arg(shown(value)), u"Write e.g. [::1]:8080:3000."_s);
        ip.clear();
    }
    QStringList parts = rest.split(u':');
    if (parts.size() == 3) {
        ip = parts.takeFirst();
        if (QHostAddress(ip).protocol() != QAbstractSocket::IPv4Protocol)
            return bad(u"'%1' does not start with an IP address"_s.arg(shown(value)), u"Write e.g. 127.0.0.1:8080:3000."_s);
    }
    if (parts.size() > 2 || parts.isEmpty())
        return failure;
    // The host port may be left empty after an address ("127.0.0.1::3000": docker picks one).
    const bool emptyHostOk = parts.size() == 2 && parts.constFirst().isEmpty() && rest.size() != value.trimmed().size();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i == 0 && parts.size() == 2 && emptyHostOk)
            continue;
        if (!isPortOrRange(parts.at(i)))
            return failure;
    }
    return {};
}

Status checkVolume(const QString &value)
{
    const QString v = value.trimmed();
    const Failure failure = bad(u"The volume '%1' is not SOURCE:TARGET"_s.arg(shown(value)),
                                u"Write a volume name or a server path, a colon and a path in the container, e.g. data:/var/lib/app."_s);
    if (v.isEmpty() || v.startsWith(u'-') || hasControlCharacters(v))
        return failure;
    const QStringList parts = v.split(u':');
    if (parts.size() < 2 || parts.size() > 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return failure;
    if (!parts.at(1).startsWith(u'/'))
        return bad(u"The volume '%1' mounts at '%2', which is not an absolute path"_s.arg(shown(value), parts.at(1).left(40)),
                   u"The part after the colon is a path in the container starting with /, e.g. data:/var/lib/app."_s);
    static const QRegularExpression options(u"^[A-Za-z]+(,[A-Za-z]+)*$"_s);
    if (parts.size() == 3 && !options.match(parts.at(2)).hasMatch())
        return bad(u"The volume '%1' has the options '%2'"_s.arg(shown(value), parts.at(2).left(20)),
                   u"Use docker's mount options, e.g. ro or ro,z, or none."_s);
    return {};
}

Status checkEnv(const QString &entry)
{
    static const QRegularExpression key(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (!entry.contains(u'=') || !key.match(entry.section(u'=', 0, 0)).hasMatch() || entry.contains(u'\n') || entry.contains(u'\r')
        || entry.contains(QChar(0)))
        return bad(u"The environment entry '%1' is not KEY=VALUE on one line"_s.arg(shown(entry.section(u'=', 0, 0))),
                   u"Use a name of letters, digits and _ (e.g. RUST_LOG=info)."_s);
    return {};
}

Status checkSecretName(const QString &name)
{
    static const QRegularExpression key(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (!key.match(name).hasMatch())
        return bad(u"The secret variable name '%1' is not valid"_s.arg(shown(name)), u"Use letters, digits and _, e.g. DATABASE_URL."_s);
    return {};
}

Status checkRestartPolicy(const QString &value)
{
    static const QRegularExpression rx(u"^(no|always|unless-stopped|on-failure(:\\d{1,4})?)$"_s);
    if (!rx.match(value).hasMatch())
        return bad(u"'%1' is not a restart policy"_s.arg(shown(value)), u"Use unless-stopped, always, on-failure, on-failure:5 or no."_s);
    return {};
}

Status checkNetwork(const QString &value)
{
    static const QRegularExpression rx(u"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"_s);
    if (!value.isEmpty() && !rx.match(value).hasMatch())
        return bad(u"The network '%1' is not a docker network name"_s.arg(shown(value)), u"Use e.g. bridge or my-net, or leave it empty."_s);
    return {};
}

Status checkContainerName(const QString &value)
{
    static const QRegularExpression rx(u"^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$"_s);
    if (!rx.match(value).hasMatch())
        return bad(u"The container name '%1' is not one docker accepts"_s.arg(shown(value)),
                   u"Use letters, digits, '_', '.' and '-' (e.g. hello-web)."_s);
    return {};
}

Status checkHealthUrl(const QString &value)
{
    if (value.isEmpty())
        return {};
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty() || hasControlCharacters(value))
        return bad(u"The health-check URL '%1' is not an http(s) address"_s.arg(shown(value)),
                   u"Write e.g. http://example.com:8080/api/health, or leave it empty."_s);
    return {};
}

QStringList splitPorts(const QString &text)
{
    static const QRegularExpression separators(u"[,\\s]+"_s);
    return text.split(separators, Qt::SkipEmptyParts);
}

QStringList splitLines(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(u'\n'))
        if (!line.trimmed().isEmpty())
            out << line.trimmed();
    return out;
}

QString healthWhereName(HealthWhere where)
{
    switch (where) {
    case HealthWhere::Auto: return u"auto"_s;
    case HealthWhere::Here: return u"here"_s;
    case HealthWhere::Server: return u"server"_s;
    }
    return u"auto"_s;
}

HealthWhere healthWhereFromName(const QString &name)
{
    if (name == u"here")
        return HealthWhere::Here;
    if (name == u"server")
        return HealthWhere::Server;
    return HealthWhere::Auto;
}

} // namespace Gantry::RunSettings
