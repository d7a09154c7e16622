#include "config_values.hpp"

#include "error.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <charconv>
#include <csignal>
#include <net/if.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <unistd.h>

namespace lxcd::config {

namespace {

// "what "value" (hint)"
[[noreturn]] void invalid(const std::string& what, std::string_view v,
                          const std::string& hint = "") {
    throw Error(Errc::InvalidConfig,
                what + " \"" + std::string(v) + "\"" + (hint.empty() ? "" : " (" + hint + ")"));
}

std::string lower(std::string_view v) {
    std::string s(v);
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return lower(a) == lower(b);
}

// Strict unsigned decimal: digits only (no sign, no spaces), no overflow.
template <typename T> bool to_unsigned(std::string_view v, T& out) {
    if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && end == v.data() + v.size();
}

// Strict signed decimal with an optional leading '-' or '+'.
template <typename T> bool to_signed(std::string_view v, T& out) {
    if (!v.empty() && v.front() == '+')
        v.remove_prefix(1);
    std::string_view digits = (!v.empty() && v.front() == '-') ? v.substr(1) : v;
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && end == v.data() + v.size();
}

struct SignalName {
    const char* name;
    int number;
};
constexpr std::array kSignals = {
    SignalName{"HUP", SIGHUP},       SignalName{"INT", SIGINT},       SignalName{"QUIT", SIGQUIT},
    SignalName{"ILL", SIGILL},       SignalName{"TRAP", SIGTRAP},     SignalName{"ABRT", SIGABRT},
    SignalName{"IOT", SIGIOT},       SignalName{"BUS", SIGBUS},       SignalName{"FPE", SIGFPE},
    SignalName{"KILL", SIGKILL},     SignalName{"USR1", SIGUSR1},     SignalName{"SEGV", SIGSEGV},
    SignalName{"USR2", SIGUSR2},     SignalName{"PIPE", SIGPIPE},     SignalName{"ALRM", SIGALRM},
    SignalName{"TERM", SIGTERM},     SignalName{"STKFLT", SIGSTKFLT}, SignalName{"CHLD", SIGCHLD},
    SignalName{"CLD", SIGCHLD},      SignalName{"CONT", SIGCONT},     SignalName{"STOP", SIGSTOP},
    SignalName{"TSTP", SIGTSTP},     SignalName{"TTIN", SIGTTIN},     SignalName{"TTOU", SIGTTOU},
    SignalName{"URG", SIGURG},       SignalName{"XCPU", SIGXCPU},     SignalName{"XFSZ", SIGXFSZ},
    SignalName{"VTALRM", SIGVTALRM}, SignalName{"PROF", SIGPROF},     SignalName{"WINCH", SIGWINCH},
    SignalName{"IO", SIGIO},         SignalName{"POLL", SIGPOLL},     SignalName{"PWR", SIGPWR},
    SignalName{"SYS", SIGSYS},
};

// "MIN", "MIN+3", "MAX", "MAX-10" (after "RT").
int parse_rt_signal(std::string_view rest, std::string_view whole) {
    bool from_max;
    if (iequals(rest.substr(0, 3), "min"))
        from_max = false;
    else if (iequals(rest.substr(0, 3), "max"))
        from_max = true;
    else
        invalid("invalid signal", whole);
    rest.remove_prefix(3);
    int offset = 0;
    if (!rest.empty()) {
        if (rest.front() != (from_max ? '-' : '+') || !to_unsigned(rest.substr(1), offset))
            invalid("invalid signal", whole);
    }
    int range = SIGRTMAX - SIGRTMIN;
    if (offset > range)
        invalid("real-time signal out of range", whole);
    return from_max ? SIGRTMAX - offset : SIGRTMIN + offset;
}

in_addr parse_in4(std::string_view v, std::string_view whole) {
    in_addr a{};
    if (inet_pton(AF_INET, std::string(v).c_str(), &a) != 1)
        invalid("invalid IPv4 address", whole);
    return a;
}

in6_addr parse_in6(std::string_view v, std::string_view whole) {
    in6_addr a{};
    if (inet_pton(AF_INET6, std::string(v).c_str(), &a) != 1)
        invalid("invalid IPv6 address", whole);
    return a;
}

std::string format_in4(const in_addr& a) {
    char buf[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

std::string format_in6(const in6_addr& a) {
    char buf[INET6_ADDRSTRLEN];
    return inet_ntop(AF_INET6, &a, buf, sizeof(buf));
}

uint8_t parse_prefix(std::string_view v, unsigned max, std::string_view whole) {
    unsigned p = 0;
    if (!to_unsigned(v, p) || p > max)
        invalid("invalid prefix length in", whole);
    return static_cast<uint8_t>(p);
}

// LXC's config_ip_prefix(): the classful prefix of an address written without /m.
uint8_t classful_prefix(const in_addr& a) {
    uint32_t h = ntohl(a.s_addr);
    if (IN_CLASSA(h))
        return 8;
    if (IN_CLASSB(h))
        return 16;
    if (IN_CLASSC(h))
        return 24;
    return 0;
}

std::string octal_unescape(std::string_view field) {
    std::string out;
    for (size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            std::string_view oct = field.substr(i + 1, 3);
            int value = -1;
            if (oct.size() == 3 &&
                std::all_of(oct.begin(), oct.end(), [](char c) { return c >= '0' && c <= '7'; }))
                value = ((oct[0] - '0') << 6) | ((oct[1] - '0') << 3) | (oct[2] - '0');
            // One byte, and never NUL (no path holds one): anything else stays as written.
            if (value > 0 && value <= 0377) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += field[i];
    }
    return out;
}

std::string octal_escape(std::string_view field) {
    std::string out;
    for (char c : field) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\\' || c == '#') {
            static const char digits[] = "01234567";
            auto u = static_cast<unsigned char>(c);
            out += '\\';
            out += digits[(u >> 6) & 7];
            out += digits[(u >> 3) & 7];
            out += digits[u & 7];
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

uint32_t parse_uint32(std::string_view v) {
    uint32_t n = 0;
    if (!to_unsigned(v, n))
        invalid("invalid integer", v);
    return n;
}

int32_t parse_int32(std::string_view v) {
    int32_t n = 0;
    if (!to_signed(v, n))
        invalid("invalid integer", v);
    return n;
}

uint64_t parse_uint64(std::string_view v) {
    uint64_t n = 0;
    if (!to_unsigned(v, n))
        invalid("invalid integer", v);
    return n;
}

bool parse_bool(std::string_view v) {
    if (v == "0")
        return false;
    if (v == "1")
        return true;
    invalid("invalid boolean", v, "expected 0 or 1");
}

int parse_signal(std::string_view v) {
    int n = 0;
    if (to_unsigned(v, n)) {
        if (n < 1 || n >= NSIG)
            invalid("signal number out of range", v);
        return n;
    }
    std::string_view name = v;
    if (iequals(name.substr(0, 3), "sig"))
        name.remove_prefix(3);
    if (iequals(name.substr(0, 2), "rt"))
        return parse_rt_signal(name.substr(2), v);
    for (const auto& s : kSignals)
        if (iequals(name, s.name))
            return s.number;
    invalid("invalid signal", v);
}

std::string format_signal(int sig) {
    for (const auto& s : kSignals)
        if (s.number == sig)
            return std::string("SIG") + s.name;
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        return sig == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
    return std::to_string(sig);
}

IdMap parse_idmap(std::string_view v) {
    auto words = split_words(v);
    if (words.size() != 4)
        invalid("invalid idmap", v, "expected \"u|g NSID HOSTID RANGE\"");
    IdMap m;
    if (words[0] != "u" && words[0] != "g")
        invalid("invalid idmap type in", v, "expected u or g");
    m.type = words[0][0];
    if (!to_unsigned(words[1], m.ns_id) || !to_unsigned(words[2], m.host_id) ||
        !to_unsigned(words[3], m.range))
        invalid("invalid idmap number in", v);
    if (m.range == 0)
        invalid("idmap range must not be 0 in", v);
    uint64_t limit = uint64_t{1} << 32;
    if (uint64_t{m.ns_id} + m.range > limit || uint64_t{m.host_id} + m.range > limit)
        invalid("idmap range overflows 32-bit ids in", v);
    return m;
}

std::string format_idmap(const IdMap& m) {
    return std::string(1, m.type) + " " + std::to_string(m.ns_id) + " " +
           std::to_string(m.host_id) + " " + std::to_string(m.range);
}

MountEntry parse_mount_entry(std::string_view v) {
    auto words = split_words(v);
    if (words.size() < 3 || words.size() > 6)
        invalid("invalid mount entry", v,
                "expected \"source target fstype [options [freq "
                "[passno]]]\"");
    MountEntry m;
    m.source = octal_unescape(words[0]);
    m.target = octal_unescape(words[1]);
    m.target.erase(0, m.target.find_first_not_of('/'));
    m.fstype = octal_unescape(words[2]);
    m.options = words.size() > 3 ? octal_unescape(words[3]) : "defaults";
    if (words.size() > 4 && !to_signed(words[4], m.freq))
        invalid("invalid dump frequency in mount entry", v);
    if (words.size() > 5 && !to_signed(words[5], m.passno))
        invalid("invalid pass number in mount entry", v);
    if (m.source.empty() || m.fstype.empty())
        invalid("invalid mount entry", v);
    return m;
}

std::string format_mount_entry(const MountEntry& m) {
    // An empty target is the rootfs itself; "/" keeps the field present.
    return octal_escape(m.source) + " " + octal_escape("/" + m.target) + " " +
           octal_escape(m.fstype) + " " + octal_escape(m.options) + " " + std::to_string(m.freq) +
           " " + std::to_string(m.passno);
}

bool MountEntry::has_option(const std::string& opt) const {
    std::string_view rest = options;
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        if (rest.substr(0, comma) == opt)
            return true;
        if (comma == std::string_view::npos)
            break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

std::string parse_ifname(std::string_view v) {
    if (v.empty() || v.size() >= IFNAMSIZ)
        invalid("invalid interface name", v, "1 to 15 characters");
    if (v == "." || v == ".." || std::any_of(v.begin(), v.end(), [](char c) {
            return c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c)) || c == 0;
        }))
        invalid("invalid interface name", v);
    return std::string(v);
}

std::string parse_hwaddr(std::string_view v) {
    bool ok = v.size() == 17;
    for (size_t i = 0; ok && i < v.size(); ++i) {
        char c = v[i];
        ok = (i % 3 == 2) ? c == ':'
                          : (std::isxdigit(static_cast<unsigned char>(c)) || c == 'x' || c == 'X');
    }
    if (!ok)
        invalid("invalid hardware address", v);
    return std::string(v);
}

Ipv4Address parse_ipv4_address(std::string_view v) {
    auto words = split_words(v);
    if (words.empty() || words.size() > 2)
        invalid("invalid IPv4 address", v, "expected \"addr/prefix [broadcast]\"");
    Ipv4Address a;
    std::string_view addr = words[0];
    size_t slash = addr.find('/');
    a.addr = parse_in4(addr.substr(0, slash), v);
    a.prefix = slash == std::string_view::npos ? classful_prefix(a.addr)
                                               : parse_prefix(addr.substr(slash + 1), 32, v);
    if (words.size() == 2)
        a.broadcast = parse_in4(words[1], v);
    return a;
}

std::string format_ipv4_address(const Ipv4Address& a) {
    std::string s = format_in4(a.addr) + "/" + std::to_string(a.prefix);
    if (a.broadcast)
        s += " " + format_in4(*a.broadcast);
    return s;
}

Ipv6Address parse_ipv6_address(std::string_view v) {
    Ipv6Address a;
    size_t slash = v.find('/');
    a.addr = parse_in6(v.substr(0, slash), v);
    if (slash != std::string_view::npos)
        a.prefix = parse_prefix(v.substr(slash + 1), 128, v);
    return a;
}

std::string format_ipv6_address(const Ipv6Address& a) {
    return format_in6(a.addr) + "/" + std::to_string(a.prefix);
}

Ipv4Gateway parse_ipv4_gateway(std::string_view v) {
    Ipv4Gateway g;
    if (v == "auto")
        g.kind = Ipv4Gateway::Kind::Auto;
    else if (v == "dev")
        g.kind = Ipv4Gateway::Kind::Dev;
    else
        g.addr = parse_in4(v, v);
    return g;
}

std::string format_ipv4_gateway(const Ipv4Gateway& g) {
    switch (g.kind) {
    case Ipv4Gateway::Kind::Auto:
        return "auto";
    case Ipv4Gateway::Kind::Dev:
        return "dev";
    case Ipv4Gateway::Kind::Address:
        break;
    }
    return format_in4(g.addr);
}

Ipv6Gateway parse_ipv6_gateway(std::string_view v) {
    Ipv6Gateway g;
    if (v == "auto")
        g.kind = Ipv6Gateway::Kind::Auto;
    else if (v == "dev")
        g.kind = Ipv6Gateway::Kind::Dev;
    else
        g.addr = parse_in6(v, v);
    return g;
}

std::string format_ipv6_gateway(const Ipv6Gateway& g) {
    switch (g.kind) {
    case Ipv6Gateway::Kind::Auto:
        return "auto";
    case Ipv6Gateway::Kind::Dev:
        return "dev";
    case Ipv6Gateway::Kind::Address:
        break;
    }
    return format_in6(g.addr);
}

Route4 parse_route4(std::string_view v) {
    Route4 r;
    size_t slash = v.find('/');
    r.dst = parse_in4(v.substr(0, slash), v);
    if (slash != std::string_view::npos)
        r.prefix = parse_prefix(v.substr(slash + 1), 32, v);
    return r;
}

std::string format_route4(const Route4& r) {
    return format_in4(r.dst) + "/" + std::to_string(r.prefix);
}

Route6 parse_route6(std::string_view v) {
    Route6 r;
    size_t slash = v.find('/');
    r.dst = parse_in6(v.substr(0, slash), v);
    if (slash != std::string_view::npos)
        r.prefix = parse_prefix(v.substr(slash + 1), 128, v);
    return r;
}

std::string format_route6(const Route6& r) {
    return format_in6(r.dst) + "/" + std::to_string(r.prefix);
}

uint64_t parse_console_size(std::string_view v) {
    constexpr uint64_t kAuto = 128 * 1024;
    if (v == "auto")
        return kAuto;
    size_t digits = 0;
    while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9')
        ++digits;
    uint64_t n = 0;
    if (!to_unsigned(v.substr(0, digits), n))
        invalid("invalid size", v);
    std::string unit = lower(v.substr(digits));
    unsigned shift = 0;
    if (unit == "kb")
        shift = 10;
    else if (unit == "mb")
        shift = 20;
    else if (unit == "gb")
        shift = 30;
    else if (!unit.empty() && unit != "b")
        invalid("invalid size unit in", v, "expected kB, MB or GB");
    if (n > (uint64_t{1} << 40) >> shift)
        invalid("size too large", v);
    n <<= shift;
    if (n == 0)
        return 0; // 0 disables the buffer
    uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    n = std::max(n, page);
    uint64_t pow2 = 1;
    while (pow2 < n)
        pow2 <<= 1;
    return pow2;
}

int64_t parse_time_offset(std::string_view v) {
    size_t end = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
    while (end < v.size() && v[end] >= '0' && v[end] <= '9')
        ++end;
    int64_t n = 0;
    if (!to_signed(v.substr(0, end), n))
        invalid("invalid time offset", v);
    std::string_view unit = v.substr(end);
    int64_t scale;
    if (unit == "h")
        scale = 3600'000'000'000;
    else if (unit == "m")
        scale = 60'000'000'000;
    else if (unit == "s")
        scale = 1'000'000'000;
    else if (unit == "ms")
        scale = 1'000'000;
    else if (unit == "us")
        scale = 1'000;
    else if (unit == "ns")
        scale = 1;
    else
        invalid("invalid time offset unit in", v, "expected h, m, s, ms, us or ns");
    int64_t ns = 0;
    if (__builtin_mul_overflow(n, scale, &ns))
        invalid("time offset out of range", v);
    return ns;
}

Config::Prlimit parse_prlimit(std::string_view v) {
    auto one = [v](std::string_view part) -> uint64_t {
        if (part == "unlimited")
            return RLIM_INFINITY;
        uint64_t n = 0;
        if (!to_unsigned(part, n))
            invalid("invalid resource limit", v, "expected soft[:hard], numbers or unlimited");
        return n;
    };
    size_t colon = v.find(':');
    Config::Prlimit p;
    p.soft = one(v.substr(0, colon));
    p.hard = colon == std::string_view::npos ? p.soft : one(v.substr(colon + 1));
    return p;
}

std::string format_prlimit(const Config::Prlimit& p) {
    auto one = [](uint64_t n) {
        return n == RLIM_INFINITY ? std::string("unlimited") : std::to_string(n);
    };
    return one(p.soft) + ":" + one(p.hard);
}

bool is_prlimit_name(std::string_view name) {
    static constexpr std::array names = {
        "as",   "core",   "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue",
        "nice", "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack",
    };
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string parse_log_level(std::string_view v) {
    static constexpr std::array names = {"trace", "debug", "info",  "notice", "warn",
                                         "error", "crit",  "alert", "fatal"};
    unsigned n = 0;
    if (to_unsigned(v, n)) {
        if (n >= names.size())
            invalid("log level out of range 0..8", v);
        return names[n];
    }
    std::string name = lower(v);
    if (name == "warning")
        name = "warn";
    else if (name == "critical")
        name = "crit";
    if (std::find(names.begin(), names.end(), name) == names.end())
        invalid("invalid log level", v);
    return name;
}

std::string parse_syslog_facility(std::string_view v) {
    static constexpr std::array names = {
        "auth",   "authpriv", "cron",   "daemon", "ftp",    "kern",   "lpr",
        "mail",   "news",     "syslog", "user",   "uucp",   "local0", "local1",
        "local2", "local3",   "local4", "local5", "local6", "local7",
    };
    std::string name = lower(v);
    if (std::find(names.begin(), names.end(), name) == names.end())
        invalid("invalid syslog facility", v);
    return name;
}

std::string parse_capability(std::string_view v) {
    std::string name = lower(v);
    if (name.rfind("cap_", 0) != 0 && !name.empty() &&
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        name = "cap_" + name;
    cap_value_t cap = 0;
    if (cap_from_name(name.c_str(), &cap) != 0)
        invalid("unknown capability", v);
    char* canonical = cap_to_name(cap);
    if (!canonical)
        invalid("unknown capability", v);
    std::string result = lower(canonical);
    cap_free(canonical);
    if (result.rfind("cap_", 0) == 0)
        result.erase(0, 4);
    return result;
}

Namespace parse_namespace(std::string_view v) {
    static constexpr std::array<std::pair<const char*, Namespace>, 9> names = {{
        {"cgroup", Namespace::Cgroup},
        {"ipc", Namespace::Ipc},
        {"mnt", Namespace::Mnt},
        {"mount", Namespace::Mnt},
        {"net", Namespace::Net},
        {"pid", Namespace::Pid},
        {"time", Namespace::Time},
        {"user", Namespace::User},
        {"uts", Namespace::Uts},
    }};
    for (const auto& [name, ns] : names)
        if (v == name)
            return ns;
    invalid("unknown namespace", v);
}

std::vector<std::string> split_words(std::string_view v) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < v.size()) {
        while (i < v.size() && (v[i] == ' ' || v[i] == '\t'))
            ++i;
        size_t start = i;
        while (i < v.size() && v[i] != ' ' && v[i] != '\t')
            ++i;
        if (i > start)
            words.emplace_back(v.substr(start, i - start));
    }
    return words;
}

} // namespace lxcd::config
