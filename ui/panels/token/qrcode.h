#pragma once

#include <QImage>
#include <QString>

namespace wps::ui {

/// Renders \a text as a QR code (libqrencode, level M) with a 4-module quiet zone, \a scale pixels per
/// module, black on white (scanners need that contrast whatever the palette). Null image when the text does
/// not fit in a QR code.
QImage renderQrCode(const QString &text, int scale);

} // namespace wps::ui
