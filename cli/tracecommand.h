#pragma once

#include <QCommandLineOption>
#include <QList>

namespace wps::cli {

/// The options only `webpubsub trace` uses (--out, --duration); Invocation adds them to its parser.
QList<QCommandLineOption> traceOptions();

} // namespace wps::cli
