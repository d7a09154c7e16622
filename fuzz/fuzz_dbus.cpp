// Fuzzes the D-Bus argument handling of every method lxcd serves: the daemon's real
// Manager, Container and Autostart objects (sdbus-c++ adaptors) on a private
// dbus-daemon, with a registry in a temporary lxcpath. The methods are read from
// introspection, so methods added later are fuzzed too; their arguments are built
// from the introspected signature (or a wrong one) with hostile values: names with
// '/', '..', empty, 4 KiB, bad signals, group lists, option dicts. No container
// can really start: the supervisor binary does not exist and the private bus has no
// systemd. Every call must be answered (a reply or an error) within 5 s.
#include "autostart_object.hpp"
#include "machines.hpp"
#include "manager_object.hpp"
#include "registry.hpp"
#include "scope.hpp"
#include "user_nics.hpp"

#include <fuzzer/FuzzedDataProvider.h>
#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-bus.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

// A container that always exists, so per-container objects and names that resolve
// are fuzzed too.
constexpr const char* kFixture = "fz";
constexpr auto kAnswerTimeout = std::chrono::seconds(5);

struct Method {
    std::string path, interface, name, signature;
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "fuzz-dbus: %s\n", what.c_str());
    std::abort();
}

// A private dbus-daemon that dies with us (PR_SET_PDEATHSIG).
std::string start_bus(const fs::path& dir) {
    fs::path conf = dir / "bus.conf";
    std::ofstream(conf) << "<busconfig><type>session</type><listen>unix:path=" +
                               (dir / "bus").string() +
                               "</listen><auth>EXTERNAL</auth><policy context=\"default\">"
                               "<allow send_destination=\"*\"/><allow receive_sender=\"*\"/>"
                               "<allow own=\"*\"/>"
                               "</policy></busconfig>\n";
    int out[2];
    if (pipe(out) < 0)
        die("pipe failed");
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(out[1], 3);
        std::string conf_arg = "--config-file=" + conf.string();
        execl("/usr/bin/dbus-daemon", "dbus-daemon", conf_arg.c_str(), "--nofork", "--nopidfile",
              "--print-address=3", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    std::string address;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n')
        address += c;
    close(out[0]);
    if (address.empty())
        die("dbus-daemon did not start");
    return address;
}

// Interesting values for each argument kind; the fuzzer picks one or supplies its own.
const std::vector<std::string> kStrings = {
    "",
    kFixture,
    "/",
    "..",
    ".",
    "../etc",
    "a/b",
    "fz/..",
    "-x",
    std::string(4096, 'a'),
    std::string(65, 'b'),
    "busybox",
    "none",
    "onboot",
    "config",
    "rootfs",
    "lxc.start.auto = 1\nlxc.group = onboot\n",
    "lxc.rootfs.path = dir:/nonexistent\n",
    "lxc.tty.max = -1\n",
    "\xff\xfe",
    "a\tb",
    "org.lxcd1.Manager",
    "org.lxcd1.Container",
    "State",
};
const std::vector<std::string> kPaths = {"/", "/org/lxcd1", "/org/lxcd1/container/fz",
                                         "/org/lxcd1/container/_2e_2e"};
const std::vector<std::string> kVariantTypes = {"s", "b", "i", "u", "as", "a{sv}", "(su)", "v"};
const std::vector<std::string> kWrongSignatures = {"",   "s",   "i",   "ss",    "sb",     "su",
                                                   "si", "as",  "asb", "a{sv}", "sa{sv}", "ssa{sv}",
                                                   "v",  "(s)", "sv",  "bbbbbu"};

// The end of the complete type starting at sig[i].
size_t type_end(const std::string& sig, size_t i) {
    if (sig[i] == 'a')
        return type_end(sig, i + 1);
    if (sig[i] != '(' && sig[i] != '{')
        return i + 1;
    char close = sig[i] == '(' ? ')' : '}';
    size_t j = i + 1;
    while (sig[j] != close)
        j = type_end(sig, j);
    return j + 1;
}

class ArgumentWriter {
  public:
    ArgumentWriter(sd_bus_message* m, FuzzedDataProvider& data) : m_(m), data_(data) {}

    // Appends values for every complete type in sig; false if sd-bus refused one (as
    // it must refuse non-UTF-8 strings and malformed paths: they never reach lxcd).
    bool append_all(const std::string& sig, int depth = 0) {
        for (size_t i = 0; i < sig.size();) {
            size_t end = type_end(sig, i);
            if (!append(sig.substr(i, end - i), depth))
                return false;
            i = end;
        }
        return true;
    }

  private:
    bool append(const std::string& type, int depth) {
        switch (type[0]) {
        case 'a':
            return append_array(type.substr(1), depth);
        case '(':
            return container('r', type.substr(1, type.size() - 2), depth);
        case '{':
            return container('e', type.substr(1, type.size() - 2), depth);
        case 'v': {
            std::string inner = depth > 3 ? "s" : pick(kVariantTypes);
            return sd_bus_message_open_container(m_, 'v', inner.c_str()) >= 0 &&
                   append_all(inner, depth + 1) && sd_bus_message_close_container(m_) >= 0;
        }
        case 's':
            return append_string('s', string_value());
        case 'o':
            return append_string('o', pick_or_own(kPaths));
        case 'g':
            return append_string('g', pick_or_own(kVariantTypes));
        case 'b': {
            int v = data_.ConsumeBool();
            return sd_bus_message_append_basic(m_, 'b', &v) >= 0;
        }
        case 'i': {
            // Signals: 0, negative, past SIGRTMAX, and the usual ones.
            int32_t v =
                data_.ConsumeBool()
                    ? data_.PickValueInArray({0, -1, 9, 10, 15, 64, 65, INT32_MIN, INT32_MAX})
                    : data_.ConsumeIntegral<int32_t>();
            return sd_bus_message_append_basic(m_, 'i', &v) >= 0;
        }
        case 'u': {
            uint32_t v = data_.ConsumeBool() ? data_.PickValueInArray({0u, 1u, UINT32_MAX})
                                             : data_.ConsumeIntegral<uint32_t>();
            return sd_bus_message_append_basic(m_, 'u', &v) >= 0;
        }
        default: { // y n q x t d: any bits
            uint64_t v = data_.ConsumeIntegral<uint64_t>();
            return sd_bus_message_append_basic(m_, type[0], &v) >= 0;
        }
        }
    }

    bool append_array(const std::string& element, int depth) {
        if (sd_bus_message_open_container(m_, 'a', element.c_str()) < 0)
            return false;
        size_t n = depth > 3 ? 0 : data_.ConsumeIntegralInRange<size_t>(0, 8);
        for (size_t k = 0; k < n; k++)
            if (!append(element, depth + 1))
                return false;
        return sd_bus_message_close_container(m_) >= 0;
    }

    bool container(char kind, const std::string& contents, int depth) {
        return sd_bus_message_open_container(m_, kind, contents.c_str()) >= 0 &&
               append_all(contents, depth + 1) && sd_bus_message_close_container(m_) >= 0;
    }

    bool append_string(char type, const std::string& value) {
        return sd_bus_message_append_basic(m_, type, value.c_str()) >= 0;
    }

    std::string string_value() {
        if (data_.ConsumeBool())
            return pick(kStrings);
        std::string own = data_.ConsumeRandomLengthString(5000);
        if (data_.ConsumeBool() && !own.empty())
            own = std::string(kFixture) + own; // near-misses of a real name
        return own;
    }

    std::string pick_or_own(const std::vector<std::string>& choices) {
        return data_.ConsumeBool() ? pick(choices) : data_.ConsumeRandomLengthString(64);
    }

    const std::string& pick(const std::vector<std::string>& choices) {
        return choices[data_.ConsumeIntegralInRange<size_t>(0, choices.size() - 1)];
    }

    sd_bus_message* m_;
    FuzzedDataProvider& data_;
};

// What the fuzzer's calls come to, printed at exit.
struct Tally {
    unsigned long calls = 0, answered = 0, refused_by_bus = 0;
    ~Tally() {
        std::printf("stress: fuzz dbus calls answered=%lu/%lu (refused by sd-bus before "
                    "sending, e.g. non-UTF-8: %lu)\n",
                    answered, calls, refused_by_bus);
    }
};

// lxcd's bus objects on the private bus, and a raw sd-bus client calling them.
class Harness {
  public:
    Harness()
        : dir_(make_dir()), address_(start_bus(dir_)),
          server_(sdbus::createSessionBusConnectionWithAddress(address_)), scopes_(*server_),
          machines_(*server_), ctx_{loop_, scopes_, machines_, dir_ / "run",
                                    dir_ / "no-such-supervisor"},
          registry_(ctx_, dir_ / "lxc"),
          // No lxc-usernet: every device request is refused before any netlink.
          user_nics_(loop_, dir_ / "run", dir_ / "lxc-usernet"),
          manager_(*server_, registry_, user_nics_),
          autostart_(*server_, registry_, loop_, dir_ / "lxcd.conf") {
        loop_.attach_bus(*server_);
        if (sd_bus_new(&client_) < 0 || sd_bus_set_address(client_, address_.c_str()) < 0 ||
            sd_bus_set_bus_client(client_, 1) < 0 || sd_bus_start(client_) < 0 ||
            sd_bus_attach_event(client_, loop_.get(), 0) < 0)
            die("cannot connect the client to " + address_);
        server_name_ = server_->getUniqueName();
        reset();
        for (const std::string& path :
             {std::string("/org/lxcd1"), lxcd::bus::container_object_path(kFixture)})
            introspect(path);
        if (methods_.empty())
            die("no methods found by introspection");
    }

    ~Harness() {
        sd_bus_flush_close_unref(client_);
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    void run(FuzzedDataProvider& data) {
        const Method& m = methods_[data.ConsumeIntegralInRange<size_t>(0, methods_.size() - 1)];
        std::string sig = data.ConsumeIntegralInRange(0, 7) == 0
                              ? kWrongSignatures[data.ConsumeIntegralInRange<size_t>(
                                    0, kWrongSignatures.size() - 1)]
                              : m.signature;
        std::string path = m.path;
        if (data.ConsumeIntegralInRange(0, 15) == 0) // a container object that is not there
            path = lxcd::bus::container_object_path(data.ConsumeRandomLengthString(80));

        sd_bus_message* msg = nullptr;
        if (sd_bus_message_new_method_call(client_, &msg, server_name_.c_str(), path.c_str(),
                                           m.interface.c_str(), m.name.c_str()) < 0)
            die("cannot make a call to " + m.interface + "." + m.name);
        ArgumentWriter writer(msg, data);
        if (!writer.append_all(sig)) {
            tally_.refused_by_bus++; // sd-bus would not send it: it cannot reach lxcd
            sd_bus_message_unref(msg);
            return;
        }
        tally_.calls++;
        sd_bus_message_unref(call(msg, path + " " + m.interface + "." + m.name));
        tally_.answered++;
        sd_bus_message_unref(msg);
        reset();
    }

  private:
    static fs::path make_dir() {
        std::string tmpl = (fs::temp_directory_path() / "fuzz-dbus.XXXXXX").string();
        if (!mkdtemp(tmpl.data()))
            die("mkdtemp failed");
        fs::create_directories(fs::path(tmpl) / "lxc");
        return tmpl;
    }

    // Sends msg and runs lxcd's loop until the answer is in; returns it (a reference).
    sd_bus_message* call(sd_bus_message* msg, const std::string& what) {
        sd_bus_message* reply = nullptr;
        sd_bus_slot* slot = nullptr;
        auto on_reply = [](sd_bus_message* r, void* ud, sd_bus_error*) {
            *static_cast<sd_bus_message**>(ud) = sd_bus_message_ref(r);
            return 0;
        };
        if (sd_bus_call_async(client_, &slot, msg, on_reply, &reply, 0) < 0)
            die("cannot send " + what);
        auto deadline = std::chrono::steady_clock::now() + kAnswerTimeout;
        while (!reply) {
            if (std::chrono::steady_clock::now() > deadline)
                die("no answer within 5 s to " + what);
            sd_event_run(loop_.get(), 100'000);
        }
        sd_bus_slot_unref(slot);
        return reply;
    }

    // Back to one stopped fixture container: each input starts from the same state.
    void reset() {
        for (lxcd::Container* c : registry_.all())
            if (c->name() != kFixture && !c->active())
                registry_.destroy(c->name());
        if (!registry_.find(kFixture))
            registry_.create(kFixture, lxcd::CreateOptions{"none", ""});
    }

    void introspect(const std::string& path) {
        sd_bus_message* msg = nullptr;
        if (sd_bus_message_new_method_call(client_, &msg, server_name_.c_str(), path.c_str(),
                                           "org.freedesktop.DBus.Introspectable", "Introspect") < 0)
            die("cannot make an Introspect call");
        sd_bus_message* reply = call(msg, "Introspect " + path);
        const char* xml = nullptr;
        if (sd_bus_message_read(reply, "s", &xml) < 0)
            die("Introspect " + path + " failed");
        parse_methods(path, xml);
        sd_bus_message_unref(reply);
        sd_bus_message_unref(msg);
    }

    void parse_methods(const std::string& path, const std::string& xml) {
        static const std::regex interface_re(
            R"re(<interface name="([^"]+)">([\s\S]*?)</interface>)re");
        static const std::regex method_re(R"re(<method name="([^"]+)"(/>|>([\s\S]*?)</method>))re");
        static const std::regex in_arg_re(R"re(<arg[^>]*type="([^"]+)"[^>]*direction="in")re");
        for (std::sregex_iterator i(xml.begin(), xml.end(), interface_re), end; i != end; ++i) {
            std::string body = (*i)[2];
            for (std::sregex_iterator j(body.begin(), body.end(), method_re); j != end; ++j) {
                std::string args = (*j)[3], sig;
                for (std::sregex_iterator k(args.begin(), args.end(), in_arg_re); k != end; ++k)
                    sig += (*k)[1];
                methods_.push_back({path, (*i)[1], (*j)[1], sig});
            }
        }
    }

    fs::path dir_;
    std::string address_;
    lxcd::EventLoop loop_;
    std::unique_ptr<sdbus::IConnection> server_;
    lxcd::ScopeManager scopes_;
    lxcd::MachineRegistry machines_;
    lxcd::ManagerContext ctx_;
    lxcd::Registry registry_;
    lxcd::UserNics user_nics_;
    lxcd::bus::ManagerObject manager_;
    lxcd::bus::AutostartObject autostart_;
    sd_bus* client_ = nullptr;
    std::string server_name_;
    std::vector<Method> methods_;
    Tally tally_;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // sd-event child sources need SIGCHLD blocked, as in lxcd's main.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Harness harness;
    FuzzedDataProvider provider(data, size);
    harness.run(provider);
    return 0;
}
