#include "panels/token/qrcode.h"

#include <QPainter>
#include <qrencode.h>

namespace wps::ui {

namespace {
constexpr int kQuietZone = 4;
} // namespace

QImage renderQrCode(const QString &text, int scale)
{
    if (text.isEmpty() || scale < 1)
        return {};
    const QByteArray utf8 = text.toUtf8();
    QRcode *code = QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return {};
    const int modules = code->width + 2 * kQuietZone;
    QImage image(modules * scale, modules * scale, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < code->width; ++y) {
        for (int x = 0; x < code->width; ++x) {
            if (code->data[y * code->width + x] & 1)
                painter.fillRect((x + kQuietZone) * scale, (y + kQuietZone) * scale, scale, scale, Qt::black);
        }
    }
    painter.end();
    QRcode_free(code);
    return image;
}

} // namespace wps::ui
