// Idmapped mounts: idmap= in lxc.rootfs.options and on lxc.mount.entry bind mounts
// ("container" = the container's user namespace, or the path of a user namespace file).
//
// Only a process privileged over the filesystem may idmap one of its mounts, and only
// once the container's user namespace has its maps: so the parent clones each source
// tree, idmaps it while the child waits, and passes the detached trees along with the
// "go" message; the child attaches them where it would otherwise bind mount the source.
#pragma once

#include "config.hpp"
#include "fd.hpp"
#include "rootfs.hpp"

#include <map>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace lxcd::runtime {

class IdmappedTrees {
  public:
    // Refuses, before anything runs, what cannot be idmapped: non-bind mount entries,
    // relative sources, an overlay rootfs, idmap=container without lxc.idmap.
    static void check(const config::Config& cfg, const RootfsSpec& spec,
                      const std::vector<config::MountEntry>& entries);

    // In the parent, after the child's maps are written: one idmapped tree per idmap=
    // mount (a failing optional entry gets none and is skipped by the child).
    static IdmappedTrees prepare(const config::Config& cfg, const RootfsSpec& spec,
                                 const std::vector<config::MountEntry>& entries, pid_t child);

    // The handshake form: the slots as text ("0 3") and the fds in the same order.
    std::string slots() const;
    std::vector<int> fds() const;
    static IdmappedTrees received(std::string_view slots, std::vector<UniqueFd> fds);

    // The detached tree for the rootfs / for mount entry `i`, or -1.
    int rootfs() const { return tree(0); }
    int entry(size_t i) const { return tree(i + 1); }

  private:
    int tree(size_t slot) const;

    std::map<size_t, UniqueFd> trees_; // slot 0: the rootfs, slot i + 1: entry i
};

} // namespace lxcd::runtime
