#include "tree_copy.hpp"

#include "error.hpp"
#include "fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lxcd {

namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

class TreeCopier {
  public:
    TreeCopier(std::string from, std::string to) : from_(std::move(from)), to_(std::move(to)) {}

    void run() {
        UniqueFd src(::open(from_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!src)
            throw_errno("copy: open " + from_);
        struct stat st {};
        if (::fstat(src.get(), &st) < 0)
            throw_errno("copy: stat " + from_);
        if (::mkdir(to_.c_str(), 0700) < 0)
            throw_errno("copy: create " + to_);
        UniqueFd dst(::open(to_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!dst)
            throw_errno("copy: open " + to_);
        copy_directory(src.get(), dst.get(), "");
        finish(dst.get(), st, "");
    }

  private:
    std::string src_path(const std::string& rel) const { return from_ + "/" + rel; }

    void copy_directory(int src_dir, int dst_dir, const std::string& rel) {
        int fd = ::dup(src_dir);
        if (fd < 0)
            throw_errno("copy: dup " + src_path(rel));
        std::unique_ptr<DIR, DirCloser> dir(::fdopendir(fd));
        if (!dir) {
            ::close(fd);
            throw_errno("copy: read " + src_path(rel));
        }
        while (dirent* e = ::readdir(dir.get())) {
            std::string name = e->d_name;
            if (name == "." || name == "..")
                continue;
            copy_entry(src_dir, dst_dir, name, rel.empty() ? name : rel + "/" + name);
        }
    }

    void copy_entry(int src_dir, int dst_dir, const std::string& name, const std::string& rel) {
        struct stat st {};
        if (::fstatat(src_dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
            throw_errno("copy: stat " + src_path(rel));
        const char* n = name.c_str();
        if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
            // Later names of a file already copied become links to the copy.
            auto key = std::make_pair(st.st_dev, st.st_ino);
            if (auto it = links_.find(key); it != links_.end()) {
                if (::linkat(AT_FDCWD, it->second.c_str(), dst_dir, n, 0) < 0)
                    throw_errno("copy: link " + src_path(rel));
                return;
            }
            links_.emplace(key, to_ + "/" + rel);
        }
        switch (st.st_mode & S_IFMT) {
        case S_IFDIR: {
            if (::mkdirat(dst_dir, n, 0700) < 0)
                throw_errno("copy: create " + to_ + "/" + rel);
            UniqueFd s(::openat(src_dir, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            UniqueFd d(::openat(dst_dir, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!s || !d)
                throw_errno("copy: open " + src_path(rel));
            copy_directory(s.get(), d.get(), rel);
            finish(d.get(), st, rel);
            return;
        }
        case S_IFREG:
            copy_file(src_dir, dst_dir, n, st, rel);
            return;
        case S_IFLNK: {
            std::vector<char> target(st.st_size + 1);
            ssize_t len = ::readlinkat(src_dir, n, target.data(), target.size());
            if (len < 0)
                throw_errno("copy: readlink " + src_path(rel));
            target[len] = '\0';
            if (::symlinkat(target.data(), dst_dir, n) < 0)
                throw_errno("copy: symlink " + to_ + "/" + rel);
            break;
        }
        default: // devices (overlay whiteouts too), FIFOs, sockets
            if (::mknodat(dst_dir, n, st.st_mode, st.st_rdev) < 0)
                throw_errno("copy: mknod " + to_ + "/" + rel);
            break;
        }
        // No fd can be opened on a symlink or device without side effects: by path.
        std::string dst = to_ + "/" + rel;
        if (::fchownat(dst_dir, n, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
            throw_errno("copy: chown " + dst);
        copy_xattrs_by_path(src_path(rel), dst);
        if (!S_ISLNK(st.st_mode) && ::fchmodat(dst_dir, n, st.st_mode & 07777, 0) < 0)
            throw_errno("copy: chmod " + dst);
        struct timespec times[2] = {st.st_atim, st.st_mtim};
        if (::utimensat(dst_dir, n, times, AT_SYMLINK_NOFOLLOW) < 0)
            throw_errno("copy: set times of " + dst);
    }

    void copy_file(int src_dir, int dst_dir, const char* n, const struct stat& st,
                   const std::string& rel) {
        UniqueFd s(::openat(src_dir, n, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!s)
            throw_errno("copy: open " + src_path(rel));
        UniqueFd d(
            ::openat(dst_dir, n, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!d)
            throw_errno("copy: create " + to_ + "/" + rel);
        copy_data(s.get(), d.get(), st.st_size, rel);
        finish(d.get(), st, rel);
    }

    // copy_file_range shares extents where it can; between file systems of different
    // types (an overlay's merged view to a directory) the kernel refuses it: sendfile.
    void copy_data(int from, int to, off_t size, const std::string& rel) {
        bool same_fs = true;
        for (off_t left = size; left > 0;) {
            ssize_t n = same_fs ? ::copy_file_range(from, nullptr, to, nullptr, left, 0)
                                : ::sendfile(to, from, nullptr, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && same_fs && left == size &&
                (errno == EXDEV || errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)) {
                same_fs = false;
                continue;
            }
            if (n < 0)
                throw_errno("copy: copy " + src_path(rel));
            if (n == 0)
                break; // the file shrank meanwhile
            left -= n;
        }
    }

    // Ownership first: chown clears set-id bits and security.capability, so the
    // xattrs and the mode come after it; times last.
    void finish(int fd, const struct stat& st, const std::string& rel) {
        std::string dst = to_ + "/" + rel;
        if (::fchown(fd, st.st_uid, st.st_gid) < 0)
            throw_errno("copy: chown " + dst);
        copy_xattrs_by_path(src_path(rel), dst);
        if (::fchmod(fd, st.st_mode & 07777) < 0)
            throw_errno("copy: chmod " + dst);
        struct timespec times[2] = {st.st_atim, st.st_mtim};
        if (::futimens(fd, times) < 0)
            throw_errno("copy: set times of " + dst);
    }

    static void copy_xattrs_by_path(const std::string& src, const std::string& dst) {
        ssize_t size = ::llistxattr(src.c_str(), nullptr, 0);
        if (size < 0 && (errno == ENOTSUP || errno == ENODATA))
            return;
        if (size < 0)
            throw_errno("copy: list xattrs of " + src);
        std::vector<char> names(size);
        size = ::llistxattr(src.c_str(), names.data(), names.size());
        if (size < 0)
            throw_errno("copy: list xattrs of " + src);
        for (ssize_t i = 0; i < size;) {
            const char* name = names.data() + i;
            i += std::char_traits<char>::length(name) + 1;
            ssize_t len = ::lgetxattr(src.c_str(), name, nullptr, 0);
            if (len < 0)
                throw_errno("copy: read xattr " + std::string(name) + " of " + src);
            std::vector<char> value(len);
            len = ::lgetxattr(src.c_str(), name, value.data(), value.size());
            if (len < 0)
                throw_errno("copy: read xattr " + std::string(name) + " of " + src);
            if (::lsetxattr(dst.c_str(), name, value.data(), len, 0) < 0)
                throw_errno("copy: set xattr " + std::string(name) + " on " + dst);
        }
    }

    std::string from_, to_;
    std::map<std::pair<dev_t, ino_t>, std::string> links_; // first copy of each hard link
};

} // namespace

void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
    TreeCopier(from.string(), to.string()).run();
}

} // namespace lxcd
