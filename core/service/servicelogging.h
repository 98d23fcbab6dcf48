#pragma once

#include <QLoggingCategory>

// Internal: the one logging category of the REST service client (never logs secrets).
Q_DECLARE_LOGGING_CATEGORY(lcService)
