#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace synack::bench {

std::string formatFixed(double value, int decimals)
{
    if (!std::isfinite(value))
        return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

namespace {

std::string jsonNumber(double value, int decimals)
{
    return std::isfinite(value) ? formatFixed(value, decimals) : "null";
}

} // namespace

std::string Report::quoted(const std::string &text)
{
    std::string out(1, '"');
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(c));
            out += escape;
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

std::string Report::grouped(int64_t value)
{
    const std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out = value < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

void Report::integer(const std::string &key, const std::string &label, int64_t value,
                     const std::string &unit)
{
    m_rows.push_back({key, std::to_string(value), label, grouped(value) + unit});
}

void Report::number(const std::string &key, const std::string &label, double value, int decimals,
                    const std::string &unit)
{
    std::string human = formatFixed(value, decimals);
    if (std::isfinite(value) && std::fabs(value) >= 10000)
        human = grouped(int64_t(std::llround(value)));
    m_rows.push_back(
        {key, jsonNumber(value, decimals), label, std::isfinite(value) ? human + unit : human});
}

void Report::text(const std::string &key, const std::string &label, const std::string &value)
{
    m_rows.push_back({key, quoted(value), label, value});
}

void Report::flag(const std::string &key, const std::string &label, bool value)
{
    m_rows.push_back({key, value ? "true" : "false", label, value ? "yes" : "no"});
}

void Report::raw(const std::string &key, const std::string &json, const std::string &label,
                 const std::string &human)
{
    m_rows.push_back({key, json, label, human});
}

std::string Report::table() const
{
    std::size_t width = 0;
    for (const Row &row : m_rows)
        width = std::max(width, row.label.size());
    std::string out;
    for (const Row &row : m_rows) {
        if (row.label.empty())
            continue;
        out += "  " + row.label + std::string(width - row.label.size() + 2, ' ') + row.human + "\n";
    }
    return out;
}

std::string Report::json() const
{
    std::string out = "{";
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        out += i ? ",\n " : "\n ";
        out += quoted(m_rows[i].key);
        out += ": ";
        out += m_rows[i].json;
    }
    return out + "\n}\n";
}

void JsonObject::beginKey(const std::string &key)
{
    if (!m_body.empty())
        m_body += ", ";
    m_body += Report::quoted(key) + ": ";
}

JsonObject &JsonObject::integer(const std::string &key, int64_t value)
{
    beginKey(key);
    m_body += std::to_string(value);
    return *this;
}

JsonObject &JsonObject::number(const std::string &key, double value, int decimals)
{
    beginKey(key);
    m_body += jsonNumber(value, decimals);
    return *this;
}

JsonObject &JsonObject::text(const std::string &key, const std::string &value)
{
    beginKey(key);
    m_body += Report::quoted(value);
    return *this;
}

} // namespace synack::bench
