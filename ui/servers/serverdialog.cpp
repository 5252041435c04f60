// SPDX-License-Identifier: MIT
#include "serverdialog.h"

#include "runsettingswidget.h"
#include "ship/secretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

ServerDialog::ServerDialog(const ServerProfile &profile, const QStringList &takenNames, QWidget *parent)
    : QDialog(parent)
    , m_taken(takenNames)
    , m_original(profile)
{
    setWindowTitle(profile.host.isEmpty() ? tr("Add Server") : tr("Edit Server"));
    QTabWidget *tabs = createTabs(profile);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ServerDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ServerDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    // A refusal speaks of what was typed then: it goes as soon as the user changes anything.
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textChanged, m_error, &QLabel::hide);
    connect(m_port, &QSpinBox::valueChanged, m_error, &QLabel::hide);
    connect(m_run, &RunSettingsWidget::edited, m_error, &QLabel::hide);
}

QTabWidget *ServerDialog::createTabs(const ServerProfile &profile)
{
    QGroupBox *connection = createConnectionBox(profile);
    QGroupBox *server = createServerBox(profile);

    // Two tabs keep the dialog within a 1024×700 screen: how to reach the server, what runs there.
    auto *tabs = new QTabWidget(this);
    auto *connectionPage = new QWidget(tabs);
    auto *cl = new QVBoxLayout(connectionPage);
    cl->addWidget(connection);
    cl->addWidget(server);
    cl->addStretch(1);
    tabs->addTab(connectionPage, tr("Co&nnection"));
    m_run = new RunSettingsWidget(profile, tabs);
    auto *runPage = new QWidget(tabs);
    auto *rl = new QVBoxLayout(runPage);
    rl->addWidget(m_run);
    rl->addStretch(1);
    tabs->addTab(runPage, tr("Con&tainer"));
    tabs->setObjectName(u"serverTabs"_s);
    return tabs;
}

QGroupBox *ServerDialog::createConnectionBox(const ServerProfile &profile)
{
    m_name = new QLineEdit(profile.name, this);
    m_name->setPlaceholderText(tr("production"));
    m_host = new QLineEdit(profile.host, this);
    m_host->setPlaceholderText(tr("example.com or 192.0.2.10, or user@host:port"));
    m_host->setObjectName(u"serverHost"_s);
    connect(m_host, &QLineEdit::editingFinished, this, &ServerDialog::splitDestination);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(profile.port);
    m_port->setObjectName(u"serverPort"_s);
    m_user = new QLineEdit(profile.user, this);
    m_user->setObjectName(u"serverUser"_s);
    m_user->setPlaceholderText(tr("from ~/.ssh/config"));
    QHBoxLayout *identityRow = createIdentityRow(profile);
    m_jump = new QLineEdit(profile.jumpHost, this);
    m_jump->setPlaceholderText(tr("none (ProxyJump, e.g. me@bastion)"));
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setObjectName(u"serverPassword"_s);
    m_passphrase = new QLineEdit(this);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setObjectName(u"serverPassphrase"_s);
    m_forget = new QCheckBox(tr("Forget the stored password and passphrase"), this);
    showStoredSecrets();

    auto *connection = new QGroupBox(tr("Connection (OpenSSH)"), this);
    auto *cf = new QFormLayout(connection);
    cf->addRow(tr("&Name:"), m_name);
    cf->addRow(tr("&Host:"), m_host);
    cf->addRow(tr("&Port:"), m_port);
    cf->addRow(tr("&User:"), m_user);
    // A row holding a layout gets no buddy from addRow: without one the label would show its "&".
    auto *identityLabel = new QLabel(tr("&Key file:"), this);
    identityLabel->setBuddy(m_identity);
    cf->addRow(identityLabel, identityRow);
    cf->addRow(tr("&Jump host:"), m_jump);
    cf->addRow(tr("Pass&word:"), m_password);
    cf->addRow(tr("Key pass&phrase:"), m_passphrase);
    cf->addRow(QString(), m_forget);
    return connection;
}

QHBoxLayout *ServerDialog::createIdentityRow(const ServerProfile &profile)
{
    m_identity = new QLineEdit(profile.identityFile, this);
    m_identity->setPlaceholderText(tr("the agent and ~/.ssh/config"));
    auto *browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Private Key"), QDir::homePath() + u"/.ssh"_s);
        if (!file.isEmpty())
            m_identity->setText(file);
    });
    auto *identityRow = new QHBoxLayout;
    identityRow->addWidget(m_identity, 1);
    identityRow->addWidget(browse);
    return identityRow;
}

QGroupBox *ServerDialog::createServerBox(const ServerProfile &profile)
{
    m_remoteDir = new QLineEdit(profile.remoteDir, this);
    m_docker = new QComboBox(this);
    m_docker->setEditable(true);
    m_docker->addItems({u"docker"_s, u"sudo -n docker"_s});
    m_docker->setCurrentText(profile.dockerCommand);

    auto *server = new QGroupBox(tr("On the server"), this);
    auto *sf = new QFormLayout(server);
    sf->addRow(tr("Gantry's &folder:"), m_remoteDir);
    sf->addRow(tr("&Docker command:"), m_docker);
    return server;
}

void ServerDialog::splitDestination()
{
    QString text = m_host->text().trimmed();
    if (text.startsWith(u"ssh://"_s))
        text.remove(0, 6);
    const bool hasUser = text.contains(u'@');
    const bool hasPort = text.contains(QRegularExpression(u"(^[^:\\[]*|\\])(:\\d{1,5})$"_s));
    if (!hasUser && !hasPort)
        return;
    const Result<ServerProfile> d = ServerProfile::fromDestination(text);
    if (!d) {
        m_error->setText(tr("'%1' is not an address Gantry understands: write the host (example.com), "
                            "or user@host, or user@host:port.").arg(m_host->text().trimmed()));
        m_error->show();
        return;
    }
    m_host->setText(d->host);
    if (hasUser)
        m_user->setText(d->user);
    if (hasPort)
        m_port->setValue(d->port);
}

void ServerDialog::showStoredSecrets()
{
    const QString none = tr("none stored — ssh asks when it needs one");
    if (m_original.host.isEmpty()) {
        // A new server: nothing can be stored yet.
        m_password->setPlaceholderText(none);
        m_passphrase->setPlaceholderText(none);
        m_forget->hide();
        return;
    }
    m_password->setPlaceholderText(tr("checking the keychain…"));
    m_passphrase->setPlaceholderText(tr("checking the keychain…"));
    m_forget->setEnabled(false);
    const auto show = [this, none](QLineEdit *edit, const SecretStore::ReadResult &r) {
        if (!r)
            edit->setPlaceholderText(tr("the keychain cannot be read: %1").arg(r.failure().sentence()));
        else
            edit->setPlaceholderText(r->has_value() ? tr("stored in the keychain — leave empty to keep it") : none);
        if (r && r->has_value())
            m_forget->setEnabled(true);
    };
    SecretStore::readAsync(m_original.passwordKey(), this, [this, show](const SecretStore::ReadResult &r) { show(m_password, r); });
    SecretStore::readAsync(m_original.passphraseKey(), this, [this, show](const SecretStore::ReadResult &r) { show(m_passphrase, r); });
}

ServerProfile ServerDialog::profile() const
{
    ServerProfile p = m_original;
    p.name = m_name->text().trimmed();
    p.host = m_host->text().trimmed();
    p.port = m_port->value();
    p.user = m_user->text().trimmed();
    // user@host:port in the Host field, not split yet (OK pressed while typing).
    QString destination = p.host;
    if (destination.startsWith(u"ssh://"_s))
        destination.remove(0, 6);
    if (destination.contains(u'@') || destination.contains(QRegularExpression(u"(^[^:\\[]*|\\])(:\\d{1,5})$"_s))) {
        if (const Result<ServerProfile> d = ServerProfile::fromDestination(destination)) {
            p.host = d->host;
            if (destination.contains(u'@'))
                p.user = d->user;
            if (destination.contains(QRegularExpression(u"(^[^:\\[]*|\\])(:\\d{1,5})$"_s)))
                p.port = d->port;
        }
    }
    p.identityFile = m_identity->text().trimmed();
    p.jumpHost = m_jump->text().trimmed();
    p.remoteDir = m_remoteDir->text().trimmed();
    p.dockerCommand = m_docker->currentText().trimmed();
    m_run->applyTo(p);
    if (p.name.isEmpty())
        p.name = p.displayName();
    return p;
}

QString ServerDialog::password() const { return m_password->text(); }
QString ServerDialog::passphrase() const { return m_passphrase->text(); }
bool ServerDialog::forgetSecrets() const { return m_forget->isChecked(); }
QMap<QString, QString> ServerDialog::containerSecrets() const { return m_run->secretValues(); }

ServerSecrets ServerDialog::secrets() const
{
    return ServerSecrets{password(), passphrase(), forgetSecrets(), containerSecrets()};
}

void ServerDialog::accept()
{
    const ServerProfile p = profile();
    QStringList problems = p.validate() + m_run->problems();
    if (m_taken.contains(p.name) && p.name != m_original.name)
        problems.prepend(tr("A server named '%1' exists already: choose another name.").arg(p.name));
    if (!problems.isEmpty()) {
        m_error->setText(problems.constFirst());
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace Gantry
