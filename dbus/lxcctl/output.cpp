#include "output.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace lxcctl {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

void check_format(const std::string& format) {
    if (format != "table" && format != "json")
        throw std::runtime_error("unknown output format \"" + format + "\" (table, json)");
}

} // namespace

std::string json_escape(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string join_or_dash(const std::vector<std::string>& items) {
    if (items.empty())
        return "-";
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

void print_table(const Table& t, const std::string& format) {
    check_format(format);
    if (format == "json") {
        std::cout << '[';
        for (size_t r = 0; r < t.rows.size(); r++) {
            std::cout << (r ? "," : "") << '{';
            for (size_t c = 0; c < t.columns.size(); c++)
                std::cout << (c ? "," : "") << json_escape(lower(t.columns[c])) << ':'
                          << json_escape(t.rows[r][c]);
            std::cout << '}';
        }
        std::cout << "]\n";
        return;
    }
    std::vector<size_t> width(t.columns.size());
    for (size_t c = 0; c < t.columns.size(); c++) {
        width[c] = t.columns[c].size();
        for (const auto& row : t.rows)
            width[c] = std::max(width[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t c = 0; c < cells.size(); c++) {
            out += cells[c];
            if (c + 1 < cells.size())
                out += std::string(width[c] - cells[c].size() + 1, ' ');
        }
        std::cout << out << '\n';
    };
    line(t.columns);
    for (const auto& row : t.rows)
        line(row);
}

void print_fields(const std::vector<std::pair<std::string, std::string>>& fields,
                  const std::string& format) {
    check_format(format);
    if (format == "json") {
        std::cout << '{';
        for (size_t i = 0; i < fields.size(); i++)
            std::cout << (i ? "," : "") << json_escape(lower(fields[i].first)) << ':'
                      << json_escape(fields[i].second);
        std::cout << "}\n";
        return;
    }
    size_t w = 0;
    for (const auto& [k, v] : fields)
        w = std::max(w, k.size());
    for (const auto& [k, v] : fields)
        std::cout << k << ':' << std::string(w - k.size() + 1, ' ') << v << '\n';
}

} // namespace lxcctl
