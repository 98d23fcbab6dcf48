#include "trace/traceevent.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Http:
        return u"http"_s;
    case Kind::Frame:
        return u"frame"_s;
    case Kind::Lifecycle:
        return u"lifecycle"_s;
    case Kind::Note:
        return u"note"_s;
    }
    return u"note"_s;
}

QString directionName(Direction direction)
{
    switch (direction) {
    case Direction::In:
        return u"in"_s;
    case Direction::Out:
        return u"out"_s;
    case Direction::None:
        return QString();
    }
    return QString();
}

bool parseKind(QStringView name, Kind *kind)
{
    for (int i = 0; i < kindCount; ++i) {
        if (name == kindName(Kind(i))) {
            *kind = Kind(i);
            return true;
        }
    }
    return false;
}

bool parseDirection(QStringView name, Direction *direction)
{
    for (int i = 0; i < directionCount; ++i) {
        if (name == directionName(Direction(i))) {
            *direction = Direction(i);
            return true;
        }
    }
    return false;
}

QString sourceName(Source source)
{
    return source == Source::Service ? u"service"_s : u"console"_s;
}

bool parseSource(QStringView name, Source *source)
{
    if (name == u"console")
        *source = Source::Console;
    else if (name == u"service")
        *source = Source::Service;
    else
        return false;
    return true;
}

} // namespace wps::trace
