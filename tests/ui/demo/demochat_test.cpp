// The demo's chat (ui/panels/demo): DemoChatModel turns the conversation into rows -- a bubble per message,
// a header where the group changes, the echo handler's answers as their own kind, a recovery marker that
// says how many messages were lost -- and DemoChatDelegate/DemoChatView paint them as bubbles that wrap,
// elide and follow the font.
#include "panels/demo/demochatdelegate.h"
#include "panels/demo/demochatmodel.h"
#include "panels/demo/demochatview.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStyleOptionViewItem>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::ui::DemoChatDelegate;
using wps::ui::DemoChatModel;
using Kind = DemoChatModel::Kind;

namespace {

Kind kindAt(const DemoChatModel &model, int row)
{
    return model.index(row).data(DemoChatModel::KindRole).value<Kind>();
}

QString textAt(const DemoChatModel &model, int row)
{
    return model.index(row).data(DemoChatModel::TextRole).toString();
}

const QDateTime kTime(QDate(2026, 12, 7), QTime(10, 0, 0));

} // namespace

TEST(DemoChatModel, MessagesBecomeBubblesUnderTheirGroupsHeader)
{
    DemoChatModel model;
    model.addMessage(u"lobby"_s, u"alice"_s, u"hello everyone"_s, kTime);
    model.addMessage(u"lobby"_s, u"bob"_s, u"who is up for lunch?"_s, kTime.addSecs(1));
    model.addMessage(u"games"_s, u"dave"_s, u"brb"_s, kTime.addSecs(2), 7);
    model.addMessage(u"lobby"_s, u"alice"_s, u"ok"_s, kTime.addSecs(3));

    ASSERT_EQ(model.rowCount(), 7);
    EXPECT_EQ(kindAt(model, 0), Kind::GroupHeader);
    EXPECT_EQ(textAt(model, 0), u"lobby"_s);
    EXPECT_EQ(kindAt(model, 1), Kind::Message);
    EXPECT_EQ(model.index(1).data(DemoChatModel::UserRole).toString(), u"alice"_s);
    EXPECT_EQ(textAt(model, 1), u"hello everyone"_s);
    EXPECT_EQ(model.index(1).data(DemoChatModel::TimeRole).toDateTime(), kTime);
    EXPECT_EQ(kindAt(model, 2), Kind::Message); // same group: no second header
    EXPECT_EQ(kindAt(model, 3), Kind::GroupHeader);
    EXPECT_EQ(textAt(model, 3), u"games"_s);
    EXPECT_EQ(model.index(4).data(DemoChatModel::SequenceRole).toULongLong(), 7u);
    EXPECT_FALSE(model.index(1).data(DemoChatModel::SequenceRole).isValid()); // alice has no sequence ids
    EXPECT_EQ(kindAt(model, 5), Kind::GroupHeader);                           // back to lobby
    EXPECT_EQ(kindAt(model, 6), Kind::Message);

    // A colour per user: the same for the same user, different for different users.
    const QColor alice = model.index(1).data(DemoChatModel::ColorRole).value<QColor>();
    EXPECT_TRUE(alice.isValid());
    EXPECT_EQ(model.index(6).data(DemoChatModel::ColorRole).value<QColor>(), alice);
    EXPECT_NE(model.index(2).data(DemoChatModel::ColorRole).value<QColor>(), alice);
    EXPECT_NE(model.index(4).data(DemoChatModel::ColorRole).value<QColor>(),
              model.index(2).data(DemoChatModel::ColorRole).value<QColor>());
    // The display text names the user and the time (for accessibility and copy).
    EXPECT_EQ(model.index(4).data().toString(), u"dave 10:00:02 (seq 7): brb"_s);
}

TEST(DemoChatModel, EchoHandlerAnswersAreTheirOwnKindInTheSendersGroup)
{
    DemoChatModel model;
    model.addMessage(u"lobby"_s, u"carol"_s, u"hi"_s, kTime);
    model.addEvent(u"lobby"_s, u"carol"_s, u"echo"_s, u"ping 6"_s, kTime.addSecs(1));
    model.addEchoReply(u"lobby"_s, u"carol"_s, u"ping 6"_s, kTime.addSecs(1));
    ASSERT_EQ(model.rowCount(), 4); // carol chats in lobby: no header between her message and her event
    EXPECT_EQ(kindAt(model, 2), Kind::Event);
    EXPECT_EQ(model.index(2).data(DemoChatModel::GroupRole).toString(), u"echo"_s); // the event's name
    EXPECT_EQ(model.index(2).data().toString(), u"carol 10:00:01 → event echo: ping 6"_s);
    EXPECT_EQ(kindAt(model, 3), Kind::EchoReply);
    EXPECT_EQ(model.index(3).data().toString(), u"echo handler 10:00:01 → carol: ping 6"_s);
    // From another group's conversation, the exchange comes under carol's group's header.
    model.addMessage(u"games"_s, u"dave"_s, u"brb"_s, kTime.addSecs(2));
    model.addEchoReply(u"lobby"_s, u"carol"_s, u"ping 7"_s, kTime.addSecs(3));
    ASSERT_EQ(model.rowCount(), 8);
    EXPECT_EQ(kindAt(model, 6), Kind::GroupHeader);
    EXPECT_EQ(textAt(model, 6), u"lobby"_s);
}

TEST(DemoChatModel, RecoveryMarkerSaysHowManyMessagesWereLost)
{
    DemoChatModel model;
    model.addMessage(u"games"_s, u"dave"_s, u"brb"_s, kTime, 12);
    model.addRecovery(u"frank"_s, 12, 13, kTime.addSecs(1));
    model.addMessage(u"games"_s, u"erin"_s, u"ok"_s, kTime.addSecs(1), 13);
    ASSERT_EQ(model.rowCount(), 4); // the marker interrupts the group: no new header after it
    EXPECT_EQ(kindAt(model, 2), Kind::Recovery);
    EXPECT_EQ(textAt(model, 2), u"frank reconnected — 0 messages lost, seq 12→13"_s);
    EXPECT_EQ(model.index(2).data(DemoChatModel::LostRole).toLongLong(), 0);
    EXPECT_EQ(kindAt(model, 3), Kind::Message);

    model.addRecovery(u"frank"_s, 13, 17, kTime.addSecs(2));
    EXPECT_EQ(textAt(model, 4), u"frank reconnected — 3 messages lost, seq 13→17"_s);
    EXPECT_EQ(model.index(4).data(DemoChatModel::LostRole).toLongLong(), 3);
    EXPECT_EQ(DemoChatModel::recoveryText(u"frank"_s, 4, 6),
              u"frank reconnected — 1 message lost, seq 4→6"_s);
}

TEST(DemoChatModel, RowCountIsBounded)
{
    DemoChatModel model;
    model.setMaxRows(50);
    for (int i = 0; i < 500; ++i)
        model.addMessage(i % 6 < 3 ? u"lobby"_s : u"games"_s, u"user%1"_s.arg(i % 6), u"message %1"_s.arg(i),
                         kTime);
    EXPECT_EQ(model.rowCount(), 50);
    EXPECT_EQ(textAt(model, 49), u"message 499"_s); // the newest stay
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(DemoChatDelegate, LongTextWrapsAndIsElidedAfterMaxLines)
{
    const QFont font = QApplication::font();
    const QFontMetrics fm(font);
    const int width = 20 * fm.horizontalAdvance(u'x');
    EXPECT_EQ(DemoChatDelegate::wrap(u"short"_s, font, width), QStringList{u"short"_s});

    QString long_;
    for (int i = 0; i < 60; ++i)
        long_ += u"word%1 "_s.arg(i);
    const QStringList lines = DemoChatDelegate::wrap(long_, font, width);
    ASSERT_EQ(lines.size(), DemoChatDelegate::kMaxLines);
    EXPECT_TRUE(lines.first().startsWith(u"word0 word1"_s));
    EXPECT_TRUE(lines.last().endsWith(u"…"_s)) << lines.last().toStdString();
    for (const QString &line : lines)
        EXPECT_LE(fm.horizontalAdvance(line), width) << line.toStdString();
}

TEST(DemoChatDelegate, RecoveryBannerReadsOnADarkPalette)
{
    DemoChatModel model;
    model.addRecovery(u"frank"_s, 12, 13, kTime);
    const QModelIndex index = model.index(0);
    ASSERT_EQ(index.data(DemoChatModel::KindRole).value<Kind>(), Kind::Recovery);

    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, Qt::white);
    DemoChatDelegate delegate;
    QStyleOptionViewItem option;
    option.palette = dark;
    option.font = QApplication::font();
    option.rect = QRect(QPoint(0, 0), QSize(600, 100));
    option.rect.setHeight(delegate.sizeHint(option, index).height());
    QImage image(option.rect.size(), QImage::Format_ARGB32);
    image.fill(Qt::black);
    {
        QPainter painter(&image);
        delegate.paint(&painter, option, index);
    }
    // The banner's green text stands out from the dark base: its brightest green pixel is light.
    int lightest = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.green() > c.red() + 30 && c.green() > c.blue() + 30)
                lightest = std::max(lightest, c.lightness());
        }
    }
    EXPECT_GE(lightest, 160);
}

TEST(DemoChatView, BubblesFitTheViewAndGrowWithTheFont)
{
    DemoChatModel model;
    model.addMessage(u"lobby"_s, u"alice"_s, u"hello everyone"_s, kTime);
    QString long_;
    for (int i = 0; i < 80; ++i)
        long_ += u"lorem%1 "_s.arg(i);
    model.addMessage(u"lobby"_s, u"bob"_s, long_, kTime);
    model.addEchoReply(u"lobby"_s, u"carol"_s, u"ping 3"_s, kTime);
    model.addRecovery(u"frank"_s, 12, 13, kTime);

    wps::ui::DemoChatView view;
    view.setModel(&model);
    view.resize(600, 400);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    QApplication::processEvents();

    const int viewport = view.viewport()->width();
    QList<int> heights;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QRect rect = view.visualRect(model.index(row));
        EXPECT_LE(rect.width(), viewport) << "row " << row;
        EXPECT_GT(rect.height(), 0) << "row " << row;
        heights.append(rect.height());
    }
    // The long message wraps onto more lines (elided at kMaxLines): its bubble is taller than a one-liner.
    EXPECT_GT(heights.at(2), heights.at(1) * 3 / 2);

    // Presentation mode scales the window's font: rows grow with it.
    QFont larger = view.font();
    larger.setPointSizeF(larger.pointSizeF() * 1.5);
    view.setFont(larger);
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return view.visualRect(model.index(1)).height() > heights.at(1); }, 5000));

    // The newest row stays in sight as rows arrive.
    for (int i = 0; i < 40; ++i)
        model.addMessage(u"lobby"_s, u"alice"_s, u"line %1"_s.arg(i), kTime);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return view.viewport()->rect().intersects(view.visualRect(model.index(model.rowCount() - 1)));
        },
        5000));
    EXPECT_TRUE(view.isFollowing());

    // Painting every kind of row works on a real paint device.
    QImage image(view.viewport()->size(), QImage::Format_ARGB32);
    view.viewport()->render(&image);
    EXPECT_FALSE(image.isNull());
}
