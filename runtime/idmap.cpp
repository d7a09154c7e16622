#include "idmap.hpp"

#include "error.hpp"
#include "fd.hpp"
#include "subid.hpp"
#include "unprivileged.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace lxcd::runtime {

std::string format_idmap(const std::vector<config::IdMap>& maps, char type) {
    std::string out;
    for (const auto& m : maps) {
        if (m.type == type)
            out += std::to_string(m.ns_id) + " " + std::to_string(m.host_id) + " " +
                   std::to_string(m.range) + "\n";
    }
    return out;
}

bool idmap_covers(const std::vector<config::IdMap>& maps, char type, uint32_t id) {
    for (const auto& m : maps) {
        if (m.type == type && id >= m.ns_id && id - m.ns_id < m.range)
            return true;
    }
    return false;
}

uint32_t host_id(const std::vector<config::IdMap>& maps, char type, uint32_t id) {
    for (const auto& m : maps) {
        if (m.type == type && id >= m.ns_id && id - m.ns_id < m.range)
            return m.host_id + (id - m.ns_id);
    }
    return id;
}

namespace {

void write_map(pid_t pid, const char* file, const std::string& text) {
    std::string path = "/proc/" + std::to_string(pid) + "/" + file;
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        throw_errno("open " + path);
    // The kernel takes the whole map in one write(2).
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw_errno("write " + path + " ('" + text.substr(0, text.find('\n')) + "')");
}

} // namespace

void write_idmaps(pid_t pid, const std::vector<config::IdMap>& maps) {
    std::string uids = format_idmap(maps, 'u');
    std::string gids = format_idmap(maps, 'g');
    if (uids.empty() || gids.empty())
        throw Error(Errc::InvalidConfig, "lxc.idmap needs both 'u' and 'g' entries");
    if (unprivileged()) {
        check_subids(maps, current_subid_owner()); // clearer than the helpers' refusal
        write_idmaps_with_helpers(pid, maps);
        return;
    }
    write_map(pid, "uid_map", uids);
    write_map(pid, "gid_map", gids);
}

} // namespace lxcd::runtime
