#include "config_write.hpp"

#include "config_keys.hpp"
#include "error.hpp"
#include "fd.hpp"

#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lxcd::config {

namespace {

// The parser trims values and drops one pair of matching quotes, so a value
// that would lose something that way is written inside quotes.
std::string quote_if_needed(const std::string& v) {
    if (v.empty())
        return v;
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    bool quoted = v.size() > 1 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front();
    if (space(v.front()) || space(v.back()) || quoted)
        return '"' + v + '"';
    return v;
}

void line(std::string& out, std::string_view key, const std::string& value) {
    out += key;
    out += " = ";
    out += quote_if_needed(value);
    out += '\n';
}

} // namespace

std::string write_config(const Config& cfg) {
    static const Config defaults;
    std::string out;
    for (const auto& h : detail::key_table()) {
        if (h.items) {
            for (const auto& [key, value] : h.items(cfg))
                line(out, key, value);
            continue;
        }
        auto values = h.get(cfg, h.name);
        if (values == h.get(defaults, h.name))
            continue;
        for (const auto& v : values)
            line(out, h.name, v);
    }
    return out;
}

void save_config(const Config& cfg, const std::filesystem::path& path) {
    save_config_text(write_config(cfg), path);
}

void save_config_text(const std::string& text, const std::filesystem::path& path) {
    std::string tmp = path.string() + ".tmpXXXXXX";
    UniqueFd fd(mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd)
        throw_errno("create " + tmp);
    // Until the rename, the temporary file is ours to remove on any failure.
    struct Unlink {
        const std::string& path;
        bool armed = true;
        ~Unlink() {
            if (armed)
                unlink(path.c_str());
        }
    } cleanup{tmp};
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = write(fd.get(), text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno("write " + tmp);
        done += static_cast<size_t>(n);
    }
    if (fchmod(fd.get(), 0644) < 0)
        throw_errno("chmod " + tmp);
    if (fsync(fd.get()) < 0)
        throw_errno("fsync " + tmp);
    if (close(fd.release()) < 0)
        throw_errno("close " + tmp);
    if (rename(tmp.c_str(), path.c_str()) < 0)
        throw_errno("rename " + tmp + " to " + path.string());
    cleanup.armed = false;
}

} // namespace lxcd::config
