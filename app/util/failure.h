// SPDX-License-Identifier: MIT
#pragma once

#include "util/errorclass.h"

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace Gantry {

/// What went wrong, as a person reads it: the class (stable, for tests and scripts), the
/// cause ("The frontend build wrote build/, not dist/") and the fix ("Set frontend.output
/// in gantry.toml, or pick the folder in the wizard's Frontend step"). The one failure
/// value of Gantry: new code returns it (in a Result) instead of `QString *error` and
/// `bool *ok` out-parameters; the UI shows cause and fix apart; sentence() joins them for
/// a log line or the CLI.
struct Failure
{
    ErrorClass errorClass = ErrorClass::Other;
    QString cause;
    QString fix;

    Failure() = default;
    Failure(ErrorClass c, QString causeText, QString fixText = {})
        : errorClass(c), cause(std::move(causeText)), fix(std::move(fixText)) {}

    /// The trimmed cause ending in a full stop (one is added unless it already ends in
    /// '.', '?' or '!'); empty when the cause is empty. The one place for that rule:
    /// sentence() and the UI's two-line failureText() both use it.
    QString causeWithStop() const
    {
        QString s = cause.trimmed();
        if (!s.isEmpty() && !s.endsWith(u'.') && !s.endsWith(u'?') && !s.endsWith(u'!'))
            s += u'.';
        return s;
    }

    /// "Cause. Fix." — one line (a trailing full stop is added to the cause when missing;
    /// without a fix the cause is returned as written, trimmed).
    QString sentence() const
    {
        if (fix.isEmpty())
            return cause.trimmed();
        const QString s = causeWithStop();
        return s + (s.isEmpty() ? QString() : QStringLiteral(" ")) + fix.trimmed();
    }
    QString className() const { return toString(errorClass); }
    bool cancelled() const { return errorClass == ErrorClass::Cancelled; }
};

/// A value or the Failure that prevented it (std::expected is C++23; the project is C++20).
///     Result<ProjectFacts> r = scan(folder);
///     if (!r) { show(r.failure()); return; }
///     use(*r);
template<class T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Failure failure) : m_v(std::in_place_index<1>, std::move(failure)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<0>(m_v); }
    T &value() & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const Failure &failure() const { return std::get<1>(m_v); }
    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Failure> m_v;
};

/// Success with nothing to return, or a Failure.
class [[nodiscard]] Status
{
public:
    Status() = default;
    Status(Failure failure) : m_failure(std::move(failure)) {}
    static Status success() { return {}; }

    bool ok() const { return !m_failure.has_value(); }
    explicit operator bool() const { return ok(); }
    const Failure &failure() const { return *m_failure; }

private:
    std::optional<Failure> m_failure;
};

} // namespace Gantry
