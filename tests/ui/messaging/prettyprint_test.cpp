// The Messaging panel's Pretty-print re-indents the body without re-serialising it: the message that is
// sent keeps its key order and every digit.
#include "panels/messaging/messagingpanel.h"

#include <QComboBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

TEST(MessagingPrettyPrint, KeepsKeyOrderAndDigits)
{
    QTemporaryDir dir;
    wps::ui::MessagingPanel panel(nullptr, nullptr, dir.filePath(u"library.ini"_s));
    auto *body = panel.findChild<QPlainTextEdit *>(u"body"_s);
    auto *pretty = panel.findChild<QPushButton *>(u"pretty"_s);
    ASSERT_NE(body, nullptr);
    ASSERT_NE(pretty, nullptr);
    auto *content = panel.findChild<QComboBox *>(u"contentType"_s);
    ASSERT_NE(content, nullptr);
    content->setCurrentIndex(content->findText(u"JSON"_s, Qt::MatchStartsWith));
    ASSERT_TRUE(pretty->isEnabled());
    body->setPlainText(uR"({"b":1,"a":12345678901234567890,"c":1.10})"_s);
    pretty->click();
    EXPECT_EQ(body->toPlainText(),
              u"{\n    \"b\": 1,\n    \"a\": 12345678901234567890,\n    \"c\": 1.10\n}"_s);
    // Not JSON: left alone.
    body->setPlainText(u"plain text"_s);
    pretty->click();
    EXPECT_EQ(body->toPlainText(), u"plain text"_s);
}
