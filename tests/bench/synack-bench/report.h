#pragma once

// A run's results, written twice: as a two-column table for people and as one
// JSON object for scripts. Each row has a JSON key and value and, unless it is
// for scripts only, a label and a human-readable value.

#include <cstdint>
#include <string>
#include <vector>

namespace synack::bench {

class Report
{
public:
    void integer(const std::string &key, const std::string &label, int64_t value,
                 const std::string &unit = {});
    // `decimals` for both forms; NaN becomes null / "-".
    void number(const std::string &key, const std::string &label, double value, int decimals,
                const std::string &unit = {});
    void text(const std::string &key, const std::string &label, const std::string &value);
    void flag(const std::string &key, const std::string &label, bool value);
    // A preformatted JSON value (an object, an array) with its own human form.
    void raw(const std::string &key, const std::string &json, const std::string &label,
             const std::string &human);

    std::string table() const;
    std::string json() const;

    static std::string quoted(const std::string &text); // a JSON string
    static std::string grouped(int64_t value);          // 1,234,567

private:
    struct Row
    {
        std::string key;
        std::string json;
        std::string label; // empty: JSON only
        std::string human;
    };
    std::vector<Row> m_rows;
};

// Builds a small JSON object: {"a":1,"b":"x"}.
class JsonObject
{
public:
    JsonObject &integer(const std::string &key, int64_t value);
    JsonObject &number(const std::string &key, double value, int decimals);
    JsonObject &text(const std::string &key, const std::string &value);
    std::string str() const { return "{" + m_body + "}"; }

private:
    void beginKey(const std::string &key);
    std::string m_body;
};

std::string formatFixed(double value, int decimals);

} // namespace synack::bench
