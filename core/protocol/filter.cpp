#include "protocol/filter.h"

// Placeholder: the parser and evaluator are being written (see tests/core/protocol/filter_test.cpp).
namespace wps::filter {

struct Node
{
};

Expected<Expression, ParseError> Expression::parse(QStringView text)
{
    return Expected<Expression, ParseError>::failure(
        {QStringLiteral("Filters are not supported yet: '%1'").arg(text.toString()), 0});
}

bool Expression::matches(const ConnectionFacts &) const
{
    return false;
}

} // namespace wps::filter
