#include "in_root.hpp"

#include "error.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace lxcd::runtime {

namespace {

int openat2_in_root(int dirfd, const std::string& path, uint64_t flags, uint64_t mode = 0) {
    open_how how{};
    how.flags = flags | O_CLOEXEC;
    how.mode = mode;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    return static_cast<int>(::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof(how)));
}

std::string strip_slashes(const std::string& path) {
    size_t begin = path.find_first_not_of('/');
    if (begin == std::string::npos)
        return ".";
    size_t end = path.find_last_not_of('/');
    return path.substr(begin, end - begin + 1);
}

// Creates the directory `path` and its missing parents, each lookup confined to the
// root. A dangling symlink on the way gets its target created, also inside the root.
void make_dirs_in_root(int root_fd, const std::string& path, int depth = 0) {
    if (depth > 40)
        throw Error(Errc::InvalidConfig, "too many symlinks creating " + path + " in rootfs",
                    ELOOP);
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        std::string prefix = path.substr(0, pos);
        int fd = openat2_in_root(root_fd, prefix, O_PATH | O_DIRECTORY);
        if (fd >= 0) {
            ::close(fd);
            continue;
        }
        if (errno != ENOENT)
            throw_errno("open " + prefix + " in rootfs");
        size_t slash = prefix.rfind('/');
        std::string parent = slash == std::string::npos ? "." : prefix.substr(0, slash);
        std::string name = slash == std::string::npos ? prefix : prefix.substr(slash + 1);
        UniqueFd parent_fd(openat2_in_root(root_fd, parent, O_PATH | O_DIRECTORY));
        if (!parent_fd)
            throw_errno("open " + parent + " in rootfs");
        if (::mkdirat(parent_fd.get(), name.c_str(), 0755) == 0)
            continue;
        if (errno != EEXIST)
            throw_errno("mkdir " + prefix + " in rootfs");
        char link[PATH_MAX];
        ssize_t n = ::readlinkat(parent_fd.get(), name.c_str(), link, sizeof(link) - 1);
        if (n < 0)
            continue; // created concurrently; the final open reports real problems
        std::string target(link, n);
        make_dirs_in_root(root_fd, target[0] == '/' ? strip_slashes(target) : parent + "/" + target,
                          depth + 1);
    }
}
} // namespace

UniqueFd open_in_root(int root_fd, const std::string& path, CreateKind create) {
    std::string rel = strip_slashes(path);
    if (create == CreateKind::Dir && rel != ".")
        make_dirs_in_root(root_fd, rel);
    if (create == CreateKind::File) {
        size_t slash = rel.rfind('/');
        if (slash != std::string::npos)
            make_dirs_in_root(root_fd, rel.substr(0, slash));
        UniqueFd file(openat2_in_root(root_fd, rel, O_RDONLY | O_CREAT | O_NOFOLLOW, 0644));
        // An existing directory or device at the target is fine for a file mount.
        if (!file && errno != EISDIR && errno != ELOOP && errno != ENXIO)
            throw_errno("create " + rel + " in rootfs");
    }
    UniqueFd fd(openat2_in_root(root_fd, rel, O_PATH));
    if (!fd)
        throw_errno("open " + rel + " in rootfs");
    return fd;
}

std::string fd_path(int fd) {
    return "/proc/self/fd/" + std::to_string(fd);
}

} // namespace lxcd::runtime
