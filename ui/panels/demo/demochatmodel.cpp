#include "panels/demo/demochatmodel.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

/// Distinct hues that read on a light and a dark palette (the bubble is a tint of the colour).
const QList<QColor> &userColors()
{
    static const QList<QColor> colors{
        QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
        QColor(0x94, 0x67, 0xbd), QColor(0xff, 0x7f, 0x0e), QColor(0x17, 0xbe, 0xcf),
        QColor(0xe3, 0x77, 0xc2), QColor(0x8c, 0x56, 0x4b),
    };
    return colors;
}

} // namespace

DemoChatModel::DemoChatModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void DemoChatModel::setMaxRows(int rows)
{
    m_maxRows = std::max(rows, 2);
    trim();
}

void DemoChatModel::addMessage(const QString &group, const QString &user, const QString &text,
                               const QDateTime &time, std::optional<quint64> sequenceId)
{
    colorFor(user);
    append(Row{Kind::Message, user, text, time, group, sequenceId, 0, 0}, group);
}

void DemoChatModel::addEvent(const QString &group, const QString &user, const QString &event,
                             const QString &text, const QDateTime &time)
{
    colorFor(user);
    append(Row{Kind::Event, user, text, time, event, std::nullopt, 0, 0}, group);
}

void DemoChatModel::addEchoReply(const QString &group, const QString &user, const QString &text,
                                 const QDateTime &time)
{
    colorFor(user);
    append(Row{Kind::EchoReply, user, text, time, {}, std::nullopt, 0, 0}, group);
}

void DemoChatModel::addRecovery(const QString &user, quint64 before, quint64 after, const QDateTime &time)
{
    colorFor(user);
    // A marker belongs to no section: the conversation it interrupts goes on under the same header.
    append(
        Row{Kind::Recovery, user, recoveryText(user, before, after), time, {}, std::nullopt, before, after},
        m_section);
}

void DemoChatModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_section.clear();
    endResetModel();
}

QColor DemoChatModel::colorFor(const QString &user)
{
    auto it = m_colors.constFind(user);
    if (it != m_colors.constEnd())
        return *it;
    const QColor color = userColors().at(int(m_colors.size()) % int(userColors().size()));
    m_colors.insert(user, color);
    return color;
}

qint64 DemoChatModel::lostBetween(quint64 before, quint64 after)
{
    return after > before ? qint64(after - before - 1) : 0;
}

QString DemoChatModel::recoveryText(const QString &user, quint64 before, quint64 after)
{
    const qint64 lost = lostBetween(before, after);
    const QString lostText = lost == 1 ? tr("1 message lost") : tr("%1 messages lost").arg(lost);
    return tr("%1 reconnected — %2, seq %3→%4").arg(user, lostText).arg(before).arg(after);
}

void DemoChatModel::append(Row row, const QString &section)
{
    const bool header = row.kind != Kind::Recovery && section != m_section;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + (header ? 1 : 0));
    if (header) {
        Row heading;
        heading.kind = Kind::GroupHeader;
        heading.time = row.time;
        heading.group = section;
        heading.text = section;
        m_rows.push_back(heading);
        m_section = section;
    }
    m_rows.push_back(std::move(row));
    endInsertRows();
    trim();
}

void DemoChatModel::trim()
{
    const int excess = int(m_rows.size()) - m_maxRows;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
    endRemoveRows();
}

int DemoChatModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant DemoChatModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= int(m_rows.size()))
        return {};
    const Row &row = m_rows.at(std::size_t(index.row()));
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole: {
        const QString time = row.time.toString(u"HH:mm:ss"_s);
        switch (row.kind) {
        case Kind::GroupHeader:
            return row.text;
        case Kind::Message:
            return row.sequenceId
                       ? tr("%1 %2 (seq %3): %4").arg(row.user, time).arg(*row.sequenceId).arg(row.text)
                       : tr("%1 %2: %3").arg(row.user, time, row.text);
        case Kind::Event:
            return tr("%1 %2 → event %3: %4").arg(row.user, time, row.group, row.text);
        case Kind::EchoReply:
            return tr("echo handler %1 → %2: %3").arg(time, row.user, row.text);
        case Kind::Recovery:
            return row.text;
        }
        return {};
    }
    case Qt::ToolTipRole:
        return row.time.toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
    case KindRole:
        return QVariant::fromValue(row.kind);
    case UserRole:
        return row.user;
    case TextRole:
        return row.text;
    case TimeRole:
        return row.time;
    case GroupRole:
        return row.group;
    case SequenceRole:
        return row.sequenceId ? QVariant::fromValue(*row.sequenceId) : QVariant();
    case ColorRole:
        return row.user.isEmpty() ? QVariant() : QVariant(m_colors.value(row.user));
    case LostRole:
        return row.kind == Kind::Recovery ? QVariant::fromValue(lostBetween(row.before, row.after))
                                          : QVariant();
    default:
        return {};
    }
}

} // namespace wps::ui
