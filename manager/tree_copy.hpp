// Copying a root filesystem tree as it is: owners, modes, timestamps, extended
// attributes (security.capability, ACLs, overlay whiteouts' trusted.*), hard links,
// device nodes, FIFOs, sockets and symlinks. No cp or rsync: openat-based recursion
// and copy_file_range, never following a symlink of the tree.
#pragma once

#include <filesystem>

namespace lxcd {

// Copies directory `from` to `to`, which must not exist. Throws Error naming the
// path that failed; what was copied so far stays (the caller removes it).
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace lxcd
