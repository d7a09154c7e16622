// Reading LXC container configs into the model (lxc.container.conf(5)).
//
// Every line is checked; errors do not stop the parse, so one run reports all
// of them as Diagnostics with file:line and key. Legacy LXC 1.x/2.x keys are
// read with their original meaning plus a warning naming the modern key.
#pragma once

#include "config.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::config {

struct ParseResult {
    Config config;
    std::vector<Diagnostic> diagnostics; // in file order, warnings and errors
    // True when no diagnostic is an error.
    bool ok() const;
};

struct ParseOptions {
    // lxc.include reads other files; off, an include is an error (for
    // untrusted text such as fuzz input).
    bool follow_includes = true;
};

// Reads path and the files it includes (a directory includes its *.conf,
// sorted). Relative include paths are taken from the including file's directory.
ParseResult parse_file(const std::filesystem::path& path, const ParseOptions& options = {});
// name stands for the file in diagnostics ("name:line") and anchors relative includes.
ParseResult parse_string(std::string_view text, const std::string& name,
                         const ParseOptions& options = {});

} // namespace lxcd::config
