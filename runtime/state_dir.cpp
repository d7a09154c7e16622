#include "state_dir.hpp"

#include "error.hpp"
#include "fd.hpp"
#include "supervisor_protocol.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <utility>

namespace lxcd::runtime {

namespace fs = std::filesystem;

std::string state_file_text(State s) {
    return std::string(state_name(s)) + "\n";
}

std::string pid_file_text(pid_t pid) {
    return std::to_string(pid) + "\n";
}

void write_file_atomic(const fs::path& dir, const std::string& name, const std::string& text) {
    fs::path tmp = dir / ("." + name + ".tmp");
    fs::path final = dir / name;
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd)
        throw_errno("create " + tmp.string());
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw_errno("write " + tmp.string());
    fd.reset();
    if (::rename(tmp.c_str(), final.c_str()) < 0)
        throw_errno("rename " + tmp.string() + " to " + final.string());
}

bool supervisor_alive(const fs::path& dir) {
    std::ifstream in(dir / supervisor::kSupervisorPidFile);
    pid_t pid = 0;
    if (!(in >> pid) || pid <= 0 || ::kill(pid, 0) != 0)
        return false;
    // A killed supervisor stays a zombie until lxcd, its parent, reaps it: dead all the same.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t comm_end = text.rfind(')');
    return comm_end == std::string::npos || comm_end + 2 >= text.size() ||
           text[comm_end + 2] != 'Z';
}

StateDir::StateDir(fs::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(dir_.parent_path(), ec);
    if (::mkdir(dir_.c_str(), 0700) < 0) {
        if (errno != EEXIST)
            throw_errno("create state directory " + dir_.string());
        if (supervisor_alive(dir_))
            throw Error(Errc::AlreadyRunning, "a supervisor already runs for " + dir_.string());
        // Left over by a supervisor that was killed: take it over.
        for (const auto& e : fs::directory_iterator(dir_, ec))
            fs::remove(e.path(), ec);
    }
    created_ = true;
    write_file_atomic(dir_, supervisor::kSupervisorPidFile, pid_file_text(::getpid()));
    set_state(State::Stopped);
}

StateDir::~StateDir() {
    remove();
}

void StateDir::remove() {
    if (!std::exchange(created_, false))
        return;
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void StateDir::set_state(State s) const {
    write_file_atomic(dir_, supervisor::kStateFile, state_file_text(s));
}

void StateDir::set_init_pid(pid_t pid) const {
    if (pid > 0) {
        write_file_atomic(dir_, supervisor::kInitPidFile, pid_file_text(pid));
        return;
    }
    std::error_code ec;
    fs::remove(dir_ / supervisor::kInitPidFile, ec);
}

} // namespace lxcd::runtime
