// ContainerCgroups against the real cgroup filesystems, as root. Each test
// moves this process into a subtree it creates (<hierarchy>/lxcd-test-<pid>),
// which plays the container's systemd scope, and removes it afterwards.
// Hierarchies where this process is not in the root cgroup are left alone:
// whoever put us there owns that cgroup.
#include "cgroup.hpp"
#include "cgroup_fs.hpp"
#include "error.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lxcd::cgroup;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

class CgroupLive : public ::testing::Test {
  protected:
    void SetUp() override {
        if (geteuid() != 0)
            GTEST_SKIP() << "needs root";
        Layout host = detect_layout();
        for (const auto& h : host.hierarchies) {
            if (h.own != "/")
                continue;
            fs::path dir = h.mountpoint / ("lxcd-test-" + std::to_string(getpid()));
            ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
            subtrees_.push_back({h.own_dir(), dir});
            if (h.has_controller("cpuset"))
                for (const char* f : {"cpuset.cpus", "cpuset.mems"})
                    write_file(dir / f, trim(read_file(h.mountpoint / f)));
            write_file(dir / "cgroup.procs", std::to_string(getpid()));
            kept_.push_back(h.label());
        }
        if (subtrees_.empty())
            GTEST_SKIP() << "this process is in no root cgroup; not touching others' cgroups";
        layout_ = detect_layout();
        std::erase_if(layout_.hierarchies, [&](const Hierarchy& h) {
            return std::find(kept_.begin(), kept_.end(), h.label()) == kept_.end();
        });
    }

    void TearDown() override {
        for (const auto& [original, dir] : subtrees_) {
            write_file(original / "cgroup.procs", std::to_string(getpid()));
            // Nothing of the container may remain in the "scope".
            for (const auto& e : fs::directory_iterator(dir))
                EXPECT_FALSE(e.is_directory()) << "left behind: " << e.path();
            EXPECT_EQ(rmdir(dir.c_str()), 0) << dir;
        }
    }

    std::string own_cgroup(const std::string& label, pid_t pid = 0) {
        Layout l =
            parse_layout(read_file("/proc/self/mountinfo"),
                         read_file("/proc/" + (pid ? std::to_string(pid) : "self") + "/cgroup"));
        for (const auto& h : l.hierarchies)
            if (h.label() == label)
                return h.own;
        return "";
    }

    std::string base() const { return "/lxcd-test-" + std::to_string(getpid()); }
    bool has(const char* controller) const { return layout_.v1_with(controller) != nullptr; }

    Layout layout_;
    std::vector<std::pair<fs::path, fs::path>> subtrees_;
    std::vector<std::string> kept_;
};

// A child that counts in shared memory until killed, after `go` is readable.
struct Spinner {
    uint64_t* shared = nullptr;
    pid_t pid = -1;
    int go[2] = {-1, -1};

    Spinner() {
        shared = static_cast<uint64_t*>(
            mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
        EXPECT_EQ(pipe(go), 0);
        pid = fork();
        if (pid == 0) {
            char c;
            close(go[1]);
            if (read(go[0], &c, 1) != 1)
                _exit(1);
            for (;;)
                std::atomic_ref<uint64_t>(*shared).fetch_add(1);
        }
        close(go[0]);
    }
    Spinner(const Spinner&) = delete;
    Spinner& operator=(const Spinner&) = delete;

    void start() {
        EXPECT_EQ(write(go[1], "x", 1), 1);
        close(go[1]);
    }
    bool progresses() {
        uint64_t a = std::atomic_ref<uint64_t>(*shared).load();
        std::this_thread::sleep_for(100ms);
        return std::atomic_ref<uint64_t>(*shared).load() != a;
    }
    int wait_status() {
        int status = 0;
        EXPECT_EQ(waitpid(pid, &status, 0), pid);
        pid = -1;
        return status;
    }
    ~Spinner() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        munmap(shared, 4096);
    }
};

} // namespace

TEST_F(CgroupLive, CreatesRelativeCgroupsAndRemovesThem) {
    fs::path payload_dir;
    {
        ContainerCgroups cg(layout_, lxcd::config::Config{}, "c1");
        for (const auto& h : layout_.hierarchies) {
            EXPECT_EQ(own_cgroup(h.label()), base() + "/lxc.monitor.c1") << h.label();
            EXPECT_TRUE(fs::is_directory(h.own_dir() / "lxc.payload.c1")) << h.label();
        }
        EXPECT_EQ(cg.payload_cgroup(), base() + "/lxc.payload.c1");
        EXPECT_FALSE(cg.populated());
        payload_dir = layout_.hierarchies.front().own_dir() / "lxc.payload.c1";
        cg.destroy();
    }
    EXPECT_FALSE(fs::exists(payload_dir));
    for (const auto& h : layout_.hierarchies)
        EXPECT_EQ(own_cgroup(h.label()), base()) << h.label();
}

TEST_F(CgroupLive, LimitsFreezeThawKill) {
    lxcd::config::Config conf;
    if (has("pids"))
        conf.cgroup_v1.push_back({"pids.max", "50"});
    if (has("cpu"))
        conf.cgroup_v1.push_back({"cpu.shares", "512"});
    if (has("devices"))
        conf.cgroup_v1.push_back({"devices.deny", "c 1:9 rwm"});
    ContainerCgroups cg(layout_, conf, "c2");
    Spinner child;
    cg.attach(child.pid);
    child.start();
    for (const auto& h : layout_.hierarchies)
        EXPECT_EQ(own_cgroup(h.label(), child.pid), base() + "/lxc.payload.c2") << h.label();
    if (const Hierarchy* h = layout_.v1_with("pids")) {
        EXPECT_EQ(trim(read_file(h->own_dir() / "lxc.payload.c2/pids.max")), "50");
    }
    if (const Hierarchy* h = layout_.v1_with("cpu")) {
        EXPECT_EQ(trim(read_file(h->own_dir() / "lxc.payload.c2/cpu.shares")), "512");
    }
    if (const Hierarchy* h = layout_.v1_with("devices")) {
        std::string list = read_file(h->own_dir() / "lxc.payload.c2/devices.list");
        EXPECT_EQ(list.find("c 1:9"), std::string::npos) << list;
    }
    EXPECT_TRUE(cg.populated());
    EXPECT_TRUE(child.progresses());
    Stats stats = cg.stats();
    if (has("pids") || stats.pids_current) {
        EXPECT_EQ(stats.pids_current.value_or(0), 1u);
    }
    if (has("cpuacct")) {
        EXPECT_GT(stats.cpu_usage_usec.value_or(0), 0u);
    }

    cg.freeze();
    EXPECT_TRUE(cg.frozen());
    EXPECT_FALSE(child.progresses());
    cg.thaw();
    EXPECT_FALSE(cg.frozen());
    EXPECT_TRUE(child.progresses());

    cg.kill_all();
    int status = child.wait_status();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    cg.destroy();
}

TEST_F(CgroupLive, V1FreezerWithoutUnified) {
    if (!has("freezer"))
        GTEST_SKIP() << "no v1 freezer hierarchy";
    std::erase_if(layout_.hierarchies, [](const Hierarchy& h) { return h.unified; });
    ContainerCgroups cg(layout_, lxcd::config::Config{}, "c3");
    Spinner child;
    cg.attach(child.pid);
    child.start();
    cg.freeze();
    EXPECT_TRUE(cg.frozen());
    EXPECT_FALSE(child.progresses());
    cg.thaw();
    EXPECT_TRUE(child.progresses());
    // Killing a frozen v1 cgroup must still work (it thaws to deliver SIGKILL).
    cg.freeze();
    cg.kill_all();
    EXPECT_TRUE(WIFSIGNALED(child.wait_status()));
    cg.destroy();
}

TEST_F(CgroupLive, V2DeviceProgram) {
    if (!layout_.unified())
        GTEST_SKIP() << "no unified hierarchy";
    lxcd::config::Config conf;
    conf.cgroup_v2 = {{"devices.deny", "a"}, {"devices.allow", "c 1:3 rwm"}};
    ContainerCgroups cg(layout_, conf, "c4");
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        if (read(go[0], &c, 1) != 1)
            _exit(10);
        int null_fd = open("/dev/null", O_RDWR);
        int zero_fd = open("/dev/zero", O_RDONLY);
        _exit(null_fd >= 0 && zero_fd < 0 && errno == EPERM ? 0 : 11);
    }
    close(go[0]);
    cg.attach(pid);
    ASSERT_EQ(write(go[1], "x", 1), 1);
    close(go[1]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "/dev/null must open and /dev/zero must be refused (status " << status << ")";
    cg.destroy();
}

TEST_F(CgroupLive, UnknownFileFailsAndLeavesNothing) {
    for (auto& [v1, key] :
         {std::pair{false, "memory.no_such_file"}, std::pair{true, "nosuchcontroller.limit"}}) {
        lxcd::config::Config conf;
        if (v1 && layout_.kind == LayoutKind::Unified)
            continue;
        if (!v1 && !layout_.unified())
            continue;
        (v1 ? conf.cgroup_v1 : conf.cgroup_v2).push_back({key, "1"});
        try {
            ContainerCgroups cg(layout_, conf, "c5");
            ADD_FAILURE() << "accepted " << key;
        } catch (const lxcd::Error& e) {
            EXPECT_EQ(e.code(), lxcd::Errc::InvalidConfig);
            EXPECT_NE(
                std::string(e.what()).find(std::string(v1 ? "lxc.cgroup." : "lxc.cgroup2.") + key),
                std::string::npos)
                << e.what();
        }
        for (const auto& h : layout_.hierarchies) {
            EXPECT_EQ(own_cgroup(h.label()), base()) << h.label();
            EXPECT_FALSE(fs::exists(h.own_dir() / "lxc.payload.c5"));
        }
    }
}

TEST_F(CgroupLive, DestructorKillsAndCleansUp) {
    std::optional<Spinner> child;
    fs::path payload;
    {
        lxcd::config::Config conf;
        conf.cgroup_dir = "sub/dir";
        ContainerCgroups cg(layout_, conf, "c6");
        payload = layout_.hierarchies.front().own_dir() / "sub/dir/lxc.payload.c6";
        child.emplace();
        cg.attach(child->pid);
        child->start();
        // The container may create cgroups of its own below its payload.
        ASSERT_EQ(mkdir((payload / "nested").c_str(), 0755), 0);
    }
    EXPECT_TRUE(WIFSIGNALED(child->wait_status()));
    EXPECT_FALSE(fs::exists(payload));
    EXPECT_FALSE(fs::exists(layout_.hierarchies.front().own_dir() / "sub"));
}

TEST_F(CgroupLive, LeavesRootCgroupsAlone) {
    Layout root = layout_;
    for (auto& h : root.hierarchies)
        h.own = "/";
    EXPECT_THROW(ContainerCgroups(root, lxcd::config::Config{}, "c7"), lxcd::Error);

    // A hierarchy where the supervisor sits in the root cgroup is not used.
    Layout mixed = layout_;
    if (mixed.hierarchies.size() < 2)
        GTEST_SKIP() << "needs two hierarchies";
    Hierarchy& skipped = mixed.hierarchies.back();
    skipped.own = "/";
    ContainerCgroups cg(mixed, lxcd::config::Config{}, "c7");
    EXPECT_FALSE(fs::exists(skipped.mountpoint / "lxc.payload.c7"));
    EXPECT_FALSE(fs::exists(skipped.mountpoint / "lxc.monitor.c7"));
    EXPECT_EQ(own_cgroup(skipped.label()), base()); // not moved there either
    ASSERT_EQ(cg.warnings().size(), 1u);
    EXPECT_NE(cg.warnings()[0].find(skipped.label()), std::string::npos);
    cg.destroy();
}

// What a supervisor killed before its teardown leaves (in v1 hierarchies systemd does
// not clean): empty cgroups are taken over; a cgroup with a process in it is refused.
TEST_F(CgroupLive, TakesOverEmptyLeftoversButNotBusyCgroups) {
    const fs::path dir = layout_.hierarchies.front().own_dir();
    ASSERT_EQ(mkdir((dir / "lxc.monitor.c8").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((dir / "lxc.payload.c8").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((dir / "lxc.payload.c8/nested").c_str(), 0755), 0);
    {
        ContainerCgroups cg(layout_, lxcd::config::Config{}, "c8");
        EXPECT_FALSE(fs::exists(dir / "lxc.payload.c8/nested"));
        cg.destroy();
    }
    EXPECT_FALSE(fs::exists(dir / "lxc.monitor.c8"));

    Spinner child;
    ASSERT_EQ(mkdir((dir / "lxc.payload.c9").c_str(), 0755), 0);
    write_file(dir / "lxc.payload.c9/cgroup.procs", std::to_string(child.pid));
    try {
        ContainerCgroups cg(layout_, lxcd::config::Config{}, "c9");
        ADD_FAILURE() << "took over a cgroup with a process in it";
    } catch (const lxcd::Error& e) {
        EXPECT_EQ(e.code(), lxcd::Errc::AlreadyExists) << e.what();
    }
    kill(child.pid, SIGKILL);
    child.wait_status();
    EXPECT_EQ(rmdir((dir / "lxc.payload.c9").c_str()), 0);
}
