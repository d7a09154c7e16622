#include "user_containers.hpp"

#include "error.hpp"
#include "mapped_root.hpp"
#include "subid.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace lxcd {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kDefaultRange = 65536;

bool maps_ids(const std::string& config) {
    std::istringstream in(config);
    for (std::string line; std::getline(in, line);) {
        line.erase(0, line.find_first_not_of(" \t"));
        if (line.starts_with("lxc.idmap") || line.starts_with("lxc.id_map"))
            return true;
    }
    return false;
}

std::string idmap_line(char type, const std::vector<runtime::SubIdRange>& ranges,
                       const runtime::SubIdOwner& owner) {
    if (ranges.empty())
        throw Error(Errc::InvalidConfig,
                    "user " + owner.user + " has no sub" + (type == 'u' ? "uid" : "gid") +
                        " range in " + (type == 'u' ? runtime::kSubuidFile : runtime::kSubgidFile) +
                        ": unprivileged containers need one (usermod --add-sub" +
                        (type == 'u' ? "uids" : "gids") + ")");
    const auto& r = ranges.front();
    return "lxc.idmap = " + std::string(1, type) + " 0 " + std::to_string(r.start) + " " +
           std::to_string(std::min(r.count, kDefaultRange)) + "\n";
}

} // namespace

std::string user_default_config(const runtime::LxcPaths& paths) {
    std::string config;
    if (std::ifstream in(paths.default_conf); in) {
        std::ostringstream text;
        text << in.rdbuf();
        config = text.str();
        if (!config.empty() && config.back() != '\n')
            config += '\n';
    }
    if (maps_ids(config))
        return config;
    auto owner = runtime::current_subid_owner();
    return config + idmap_line('u', owner.subuids, owner) + idmap_line('g', owner.subgids, owner);
}

void give_to_container_root(const fs::path& tree, const std::vector<config::IdMap>& maps) {
    runtime::run_as_mapped_root(maps, [&tree] {
        auto chown_root = [](const fs::path& p) {
            if (::lchown(p.c_str(), 0, 0) < 0)
                throw_errno("chown " + p.string() + " to the container's root");
        };
        chown_root(tree);
        for (const auto& entry : fs::recursive_directory_iterator(tree))
            chown_root(entry.path());
    });
}

void remove_as_container_root(const fs::path& dir, const std::vector<config::IdMap>& maps) {
    runtime::run_as_mapped_root(maps, [&dir] {
        std::error_code ec;
        fs::remove_all(dir, ec);
        if (ec)
            throw Error(Errc::System, "cannot remove " + dir.string() + ": " + ec.message());
    });
}

} // namespace lxcd
