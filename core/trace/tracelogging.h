#pragma once

#include <QLoggingCategory>

// Internal: the one logging category of the trace engine (never logs payloads or secrets).
Q_DECLARE_LOGGING_CATEGORY(lcTrace)
