#pragma once

#include "common/expected.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace wps::ui {

/// A message the user saved to send again: the target, the content and the send options, exactly as the
/// Messaging form holds them (a binary body stays hex text).
struct SavedPayload
{
    QString name;
    QString target = QStringLiteral("all"); ///< all | user | group | connection
    QString targetId;
    QString content = QStringLiteral("text"); ///< text | json | binary
    QString body;
    QStringList excluded;
    QString filter;
    int ttlSeconds = -1; ///< -1: not set

    QJsonObject toJson() const;
    /// Reads toJson()'s form; the error names the field that is wrong.
    static Expected<SavedPayload, QString> fromJson(const QJsonObject &json);
    friend bool operator==(const SavedPayload &, const SavedPayload &) = default;
};

/// The saved payload library of the Messaging panel: named payloads, kept in the settings file (payloads are
/// not secrets; the panel says so), sorted by name, imported and exported as one JSON document
/// `{"format": "webpubsub-console-payloads", "version": 1, "payloads": [...]}`.
class PayloadLibrary : public QAbstractListModel
{
    Q_OBJECT
public:
    static constexpr int maxPayloads = 1000;
    static constexpr int maxBodyChars = 2 * 1024 * 1024; ///< hex of the service's 1 MiB limit

    /// Reads and writes \a settingsPath (INI); an empty path means the application's default settings.
    explicit PayloadLibrary(QString settingsPath = {}, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    const SavedPayload &at(int row) const { return m_payloads.at(row); }
    /// The row of the payload named \a name, or -1.
    int indexOf(const QString &name) const;
    /// Adds \a payload, replacing one of the same name. Returns an error text (and changes nothing) when
    /// the name is empty, the body too large or the library full.
    QString save(const SavedPayload &payload);
    void remove(int row);

    QByteArray exportJson() const;
    /// Adds every payload of \a json (replacing same names). All or nothing: the error says what is wrong
    /// and nothing is added. Returns how many were imported.
    Expected<int, QString> importJson(const QByteArray &json);

private:
    void load();
    void persist() const;

    QString m_settingsPath;
    QList<SavedPayload> m_payloads;
};

} // namespace wps::ui
