// Fuzzes the config parser: any text must parse without crashing, and the
// written form of a valid config must parse back to the same model.
#include "config_items.hpp"
#include "config_parse.hpp"
#include "config_write.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using namespace lxcd::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ParseOptions options;
    options.follow_includes = false; // fuzz input must not read the host's files
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ParseResult first = parse_string(text, "fuzz", options);

    std::string written = write_config(first.config);
    ParseResult second = parse_string(written, "fuzz", options);
    // A config with errors may hold a half-made network that has no written form.
    if (first.ok() && second.config != first.config) {
        std::fprintf(stderr, "round trip changed the model; written form:\n%s\n", written.c_str());
        std::abort();
    }
    // Every written key reads back through get_item.
    for (size_t pos = 0; pos < written.size();) {
        size_t eq = written.find(" = ", pos);
        size_t nl = written.find('\n', pos);
        if (eq != std::string::npos && eq < nl)
            (void)get_item(second.config, std::string_view(written).substr(pos, eq - pos));
        pos = nl == std::string::npos ? written.size() : nl + 1;
    }
    return 0;
}
