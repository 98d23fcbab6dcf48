#include "session/localservice.h"

namespace wps::ui {

LocalService::~LocalService() = default;

} // namespace wps::ui
