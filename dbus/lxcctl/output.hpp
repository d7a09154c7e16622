// lxcctl output: aligned tables for people, JSON (--output json) for programs.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lxcctl {

struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

// format: "table" or "json" (an array of objects keyed by lower-case column names).
void print_table(const Table& t, const std::string& format);
// One "Key: value" a line, or one JSON object.
void print_fields(const std::vector<std::pair<std::string, std::string>>& fields,
                  const std::string& format);

std::string json_escape(const std::string& s);
std::string join_or_dash(const std::vector<std::string>& items);

} // namespace lxcctl
