// SPDX-License-Identifier: MIT
#include "tlsaudit.h"

#include <QHash>
#include <QQueue>
#include <QSet>

#include <toml++/toml.hpp>

#include <optional>

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList opensslCrates()
{
    return {u"openssl-sys"_s, u"openssl"_s, u"native-tls"_s, u"openssl-src"_s};
}

QString rustlsFixFor(const QString &crate)
{
    static const QHash<QString, QString> fixes{
        {u"reqwest"_s, u"reqwest: set default-features = false and turn on the \"rustls-tls\" feature (its default \"default-tls\" is native-tls, i.e. OpenSSL)"_s},
        {u"sqlx"_s, u"sqlx: replace the \"runtime-tokio-native-tls\" / \"tls-native-tls\" feature with \"runtime-tokio\" + \"tls-rustls\""_s},
        {u"lettre"_s, u"lettre: set default-features = false and use \"tokio1-rustls-tls\" (plus \"smtp-transport\", \"builder\") instead of \"native-tls\" / \"tokio1-native-tls\""_s},
        {u"redis"_s, u"redis: replace \"tls-native-tls\" / \"tokio-native-tls-comp\" with \"tls-rustls\" / \"tokio-rustls-comp\" (and \"tls-rustls-webpki-roots\")"_s},
        {u"hyper-tls"_s, u"hyper-tls is native-tls only: replace it with hyper-rustls (HttpsConnectorBuilder::new().with_webpki_roots())"_s},
        {u"tokio-postgres"_s, u"tokio-postgres: drop postgres-native-tls / postgres-openssl and use tokio-postgres-rustls as the TLS connector"_s},
        {u"postgres-native-tls"_s, u"postgres-native-tls: replace it with tokio-postgres-rustls"_s},
        {u"postgres-openssl"_s, u"postgres-openssl: replace it with tokio-postgres-rustls"_s},
        {u"sea-orm"_s, u"sea-orm: replace the \"runtime-tokio-native-tls\" feature with \"runtime-tokio-rustls\""_s},
        {u"ureq"_s, u"ureq: turn off the \"native-tls\" feature and keep the default \"tls\" (rustls)"_s},
        {u"tokio-tungstenite"_s, u"tokio-tungstenite: replace the \"native-tls\" feature with \"rustls-tls-webpki-roots\""_s},
        {u"tungstenite"_s, u"tungstenite: replace the \"native-tls\" feature with \"rustls-tls-webpki-roots\""_s},
        {u"async-nats"_s, u"async-nats uses rustls by default: remove any crate that adds native-tls next to it"_s},
        {u"mongodb"_s, u"mongodb: remove the \"openssl-tls\" feature; the default TLS is rustls"_s},
        {u"tokio-native-tls"_s, u"tokio-native-tls: replace it with tokio-rustls"_s},
        {u"native-tls"_s, u"native-tls: replace it with rustls (tokio-rustls for async code)"_s},
        {u"openssl"_s, u"openssl: replace it with rustls (or ring / aws-lc-rs for the crypto you use)"_s},
    };
    return fixes.value(crate);
}

namespace {
QString qs(std::string_view v)
{
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}
} // namespace

namespace {

struct LockGraph
{
    QHash<QString, QStringList> deps;
    QHash<QString, QString> versions;
    QSet<QString> sourceless;
    bool anySource = false;   ///< a lockfile written by cargo names the source of every registry crate
    QStringList order;
};

Result<LockGraph> parseLock(const QString &lockText, const QString &fileName)
{
    toml::table root;
    const QByteArray utf8 = lockText.toUtf8();
    try {
        root = toml::parse(std::string_view(utf8.constData(), size_t(utf8.size())));
    } catch (const toml::parse_error &e) {
        return Failure(ErrorClass::ManifestSyntax,
                       u"%1:%2:%3: %4"_s.arg(fileName)
                           .arg(e.source().begin.line)
                           .arg(e.source().begin.column)
                           .arg(qs(e.description())),
                       u"Run `cargo generate-lockfile` to make a valid one."_s);
    }
    LockGraph g;
    if (const toml::array *packages = root["package"].as_array()) {
        for (const toml::node &p : *packages) {
            const toml::table *t = p.as_table();
            const QString name = t ? QString::fromStdString((*t)["name"].value_or(std::string())) : QString();
            if (name.isEmpty())
                continue;
            if (!g.versions.contains(name)) {
                g.versions.insert(name, QString::fromStdString((*t)["version"].value_or(std::string())));
                g.order << name;
            }
            if (!t->contains("source"))
                g.sourceless.insert(name);
            else
                g.anySource = true;
            if (const toml::array *d = (*t)["dependencies"].as_array())
                for (const toml::node &dn : *d)
                    if (const QString dep = QString::fromStdString(dn.value_or(std::string())).section(u' ', 0, 0);
                        !dep.isEmpty() && !g.deps[name].contains(dep))
                        g.deps[name] << dep;
        }
    }
    return g;
}

/// Shortest chain from START (inclusive) to an OpenSSL crate, preferring openssl-sys; empty when none.
QStringList chainToOpenssl(const LockGraph &g, const QString &start)
{
    QHash<QString, QString> parent{{start, QString()}};
    QQueue<QString> queue;
    queue.enqueue(start);
    while (!queue.isEmpty()) {
        const QString c = queue.dequeue();
        for (const QString &d : g.deps.value(c))
            if (!parent.contains(d)) {
                parent.insert(d, c);
                queue.enqueue(d);
            }
    }
    for (const QString &t : {u"openssl-sys"_s, u"native-tls"_s, u"openssl"_s}) {
        if (!parent.contains(t))
            continue;
        QStringList chain;
        for (QString c = t; !c.isEmpty(); c = parent.value(c))
            chain.prepend(c);
        return chain;
    }
    return {};
}

QString shippedFix(const QString &crate, const QStringList &chainFromCrate)
{
    if (const QString own = rustlsFixFor(crate); !own.isEmpty())
        return own;
    for (qsizetype i = 1; i + 1 < chainFromCrate.size(); ++i)
        if (const QString deeper = rustlsFixFor(chainFromCrate.at(i)); !deeper.isEmpty())
            return u"%1 brings in %2 through %3: look for a \"rustls\" feature of %1 that turns it on in %3 (%4)"_s.arg(
                crate, chainFromCrate.last(), chainFromCrate.at(i), deeper);
    return u"%1 brings in %2: look for a \"rustls\" feature of %1 and turn off its default features"_s.arg(
        crate, chainFromCrate.last());
}

/// The crate to change for one chain ROOT → DIRECT → … → an OpenSSL crate: the first one
/// after the user's crate with a known rustls switch; else the user's direct dependency.
/// Low-level TLS crates count only as the user's own dependency: deeper down, the crate to
/// change is the one that pulls them in.
QString fixableCrate(const QStringList &chain, const QString &direct)
{
    static const QStringList lowLevel{u"openssl"_s, u"native-tls"_s, u"tokio-native-tls"_s, u"hyper-tls"_s,
                                      u"postgres-native-tls"_s, u"postgres-openssl"_s};
    for (qsizetype i = 1; i < chain.size(); ++i)
        if (!rustlsFixFor(chain.at(i)).isEmpty() && (i == 1 || !lowLevel.contains(chain.at(i))))
            return chain.at(i);
    return direct;
}

/// A finding: CRATE (at its locked version) brings in OpenSSL along CHAIN (which ends at the
/// OpenSSL crate); FIX says what to change.
TlsFinding finding(const LockGraph &g, const QString &crate, const QStringList &chain, const QString &fix)
{
    TlsFinding f;
    f.crate = crate;
    f.crateVersion = g.versions.value(crate);
    f.opensslCrate = chain.last();
    f.chain = chain;
    f.fix = fix;
    return f;
}

} // namespace

Result<LockAudit> auditCargoLock(const QString &lockText, const QStringList &rootCrates, const QString &fileName)
{
    const Result<LockGraph> g = parseLock(lockText, fileName);
    if (!g)
        return g.failure();
    LockAudit audit;
    audit.allCrates = g->order;
    QSet<QString> reported;
    for (const QString &rootCrate : rootCrates) {
        if (!g->versions.contains(rootCrate))
            continue;
        // Each direct dependency that leads to OpenSSL gives one finding: the shortest chain
        // from it (breadth-first), preferring the chain down to openssl-sys.
        for (const QString &direct : g->deps.value(rootCrate)) {
            QStringList chain = chainToOpenssl(*g, direct);
            if (chain.isEmpty())
                continue;
            chain.prepend(rootCrate);
            const QString fixable = fixableCrate(chain, direct);
            if (reported.contains(fixable))
                continue;
            reported.insert(fixable);
            QString fix = rustlsFixFor(fixable);
            if (fix.isEmpty())
                fix = u"%1 brings in %2: look for a \"rustls\" feature of %1 and turn off its default features"_s.arg(fixable, chain.last());
            audit.findings.append(finding(*g, fixable, chain, fix));
        }
    }
    return audit;
}

Result<LockAudit> auditShippedPackage(const QString &lockText, const QString &package, const QStringList &ownCrates,
                                     const QString &fileName)
{
    const Result<LockGraph> g = parseLock(lockText, fileName);
    if (!g)
        return g.failure();
    LockAudit audit;
    audit.allCrates = g->order;
    auto own = [&](const QString &c) {
        return c == package || ownCrates.contains(c) || (g->anySource && g->sourceless.contains(c));
    };
    // Breadth-first through the user's own crates, remembering how each was reached.
    QHash<QString, QString> via{{package, QString()}};
    QStringList ownOrder{package}, outside;
    for (qsizetype i = 0; i < ownOrder.size(); ++i)
        for (const QString &d : g->deps.value(ownOrder.at(i))) {
            if (own(d) && !via.contains(d)) {
                via.insert(d, ownOrder.at(i));
                ownOrder << d;
            } else if (!own(d) && !outside.contains(d)) {
                outside << d;
                via.insert(u"outside:"_s + d, ownOrder.at(i));
            }
        }
    QSet<QString> reported;
    for (const QString &crate : std::as_const(outside)) {
        const QStringList tail = chainToOpenssl(*g, crate);
        if (tail.isEmpty() || reported.contains(crate))
            continue;
        reported.insert(crate);
        QStringList chain = tail;
        for (QString c = via.value(u"outside:"_s + crate); !c.isEmpty(); c = via.value(c))
            chain.prepend(c);
        audit.findings.append(finding(*g, crate, chain, shippedFix(crate, tail)));
    }
    return audit;
}

} // namespace Gantry
