// Writing the model back as a config file.
#pragma once

#include "config.hpp"

#include <filesystem>
#include <string>

namespace lxcd::config {

// The normalised config: modern keys only, includes expanded, defaults left
// out, one "key = value" a line. Parsing it yields a model equal to cfg
// (apart from Config::files).
std::string write_config(const Config& cfg);
// Writes write_config(cfg) to path atomically (a temporary file in the same
// directory, fsync, rename).
void save_config(const Config& cfg, const std::filesystem::path& path);
// The same for config text written elsewhere (e.g. a copy's rewritten config).
void save_config_text(const std::string& text, const std::filesystem::path& path);

} // namespace lxcd::config
