#pragma once

#include <QAbstractListModel>
#include <QColor>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <deque>
#include <optional>

namespace wps::ui {

/// The demo's conversation as chat rows (docs/demo.md): a bubble per message with its user, the user's
/// colour and the time it arrived; a header row where the conversation moves to another group; the user
/// events sent to the echo handler and the handler's answers (kinds of their own, in the sender's group's
/// conversation); and a marker where the
/// reliable client recovered, with the sequence ids on either side and how many messages were lost (0 when
/// the ids are consecutive). Bounded: the oldest rows go past maxRows(). Painted by DemoChatDelegate.
class DemoChatModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class Kind { GroupHeader, Message, Event, EchoReply, Recovery };
    Q_ENUM(Kind)
    enum Role {
        KindRole = Qt::UserRole + 1, ///< Kind
        UserRole,                    ///< who sent it (Message, Event), who was answered (EchoReply)
        TextRole,                    ///< the message text; the group's name for a GroupHeader
        TimeRole,                    ///< QDateTime it was seen
        GroupRole,                   ///< the group of a Message or GroupHeader; the event's name for an Event
        SequenceRole, ///< quint64 sequence id of a reliable client's message; invalid otherwise
        ColorRole,    ///< QColor of the user
        LostRole,     ///< Recovery: messages lost (0 for a gap-free recovery)
    };

    static constexpr int kDefaultMaxRows = 400;

    explicit DemoChatModel(QObject *parent = nullptr);

    void setMaxRows(int rows);
    int maxRows() const { return m_maxRows; }

    /// A group message as a member saw it; \a sequenceId when the member's subprotocol is reliable.
    void addMessage(const QString &group, const QString &user, const QString &text, const QDateTime &time,
                    std::optional<quint64> sequenceId = std::nullopt);
    /// \a user (a member of \a group) sent user event \a event with \a text. Shown in the conversation of
    /// \a group, where the user chats.
    void addEvent(const QString &group, const QString &user, const QString &event, const QString &text,
                  const QDateTime &time);
    /// The echo handler's answer to \a user (a member of \a group).
    void addEchoReply(const QString &group, const QString &user, const QString &text, const QDateTime &time);
    /// \a user's reliable connection recovered: the last sequence id before the drop and the first after.
    void addRecovery(const QString &user, quint64 before, quint64 after, const QDateTime &time);
    void clear();

    /// The colour of \a user: distinct for the first users seen, then reused in turn.
    QColor colorFor(const QString &user);

    /// The marker's words: "frank reconnected — 0 messages lost, seq 12→13".
    static QString recoveryText(const QString &user, quint64 before, quint64 after);
    static qint64 lostBetween(quint64 before, quint64 after);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        Kind kind = Kind::Message;
        QString user;
        QString text;
        QDateTime time;
        QString group;
        std::optional<quint64> sequenceId;
        quint64 before = 0;
        quint64 after = 0;
    };
    void append(Row row, const QString &section);
    void trim();

    std::deque<Row> m_rows;
    QString m_section; ///< the group of the last row: a header comes when it changes
    QHash<QString, QColor> m_colors;
    int m_maxRows = kDefaultMaxRows;
};

} // namespace wps::ui
