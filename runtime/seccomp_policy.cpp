#include "seccomp_policy.hpp"

#include "error.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/mount.h>
#include <utility>

namespace lxcd::seccomp {
namespace {

// The kernel truncates SECCOMP_RET_ERRNO data to MAX_ERRNO.
constexpr int max_errno = 4095;
constexpr size_t max_arg_compares = 6;

struct ArchName {
    std::string_view name;
    Arch arch;
};

// First name of each arch is canonical; the rest are aliases LXC, uname or
// Debian use.
constexpr std::array arch_names{
    ArchName{"x86_64", Arch::X86_64},
    ArchName{"amd64", Arch::X86_64},
    ArchName{"x86", Arch::X86},
    ArchName{"i386", Arch::X86},
    ArchName{"i686", Arch::X86},
    ArchName{"x32", Arch::X32},
    ArchName{"arm", Arch::Arm},
    ArchName{"armhf", Arch::Arm},
    ArchName{"armel", Arch::Arm},
    ArchName{"arm64", Arch::Aarch64},
    ArchName{"aarch64", Arch::Aarch64},
    ArchName{"ppc", Arch::Ppc},
    ArchName{"ppc64", Arch::Ppc64},
    ArchName{"ppc64le", Arch::Ppc64le},
    ArchName{"ppc64el", Arch::Ppc64le},
    ArchName{"mips", Arch::Mips},
    ArchName{"mips64", Arch::Mips64},
    ArchName{"mips64n32", Arch::Mips64n32},
    ArchName{"mipsel", Arch::Mipsel},
    ArchName{"mipsel64", Arch::Mipsel64},
    ArchName{"mipsel64n32", Arch::Mipsel64n32},
    ArchName{"s390", Arch::S390},
    ArchName{"s390x", Arch::S390x},
    ArchName{"riscv64", Arch::Riscv64},
};

struct OpName {
    std::string_view name;
    CompareOp op;
};

// Symbols first (canonical), then libseccomp's constant names, which LXC accepts too.
constexpr std::array op_names{
    OpName{"==", CompareOp::Eq},          OpName{"!=", CompareOp::Ne},
    OpName{"<", CompareOp::Lt},           OpName{"<=", CompareOp::Le},
    OpName{">", CompareOp::Gt},           OpName{">=", CompareOp::Ge},
    OpName{"&=", CompareOp::MaskedEq},    OpName{"SCMP_CMP_EQ", CompareOp::Eq},
    OpName{"SCMP_CMP_NE", CompareOp::Ne}, OpName{"SCMP_CMP_LT", CompareOp::Lt},
    OpName{"SCMP_CMP_LE", CompareOp::Le}, OpName{"SCMP_CMP_GT", CompareOp::Gt},
    OpName{"SCMP_CMP_GE", CompareOp::Ge}, OpName{"SCMP_CMP_MASKED_EQ", CompareOp::MaskedEq},
};

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Everything from a '#' on is a comment (policy lines never contain '#' otherwise).
std::string_view strip_comment(std::string_view line) {
    if (auto hash = line.find('#'); hash != std::string_view::npos)
        line = line.substr(0, hash);
    return trim(line);
}

// Splits the rest of a line into the next whitespace-separated word and the remainder.
std::string_view next_word(std::string_view& rest) {
    rest = trim(rest);
    size_t end = 0;
    while (end < rest.size() && !is_space(rest[end]))
        ++end;
    std::string_view word = rest.substr(0, end);
    rest = trim(rest.substr(end));
    return word;
}

// Parses one policy; owns the position so every error names file:line.
class Parser {
  public:
    Parser(std::string_view text, std::string name) : text_(text) {
        policy_.name = std::move(name);
    }

    SeccompPolicy parse() {
        parse_version();
        if (policy_.version == 1)
            parse_v1();
        else
            parse_v2();
        return std::move(policy_);
    }

  private:
    [[noreturn]] void fail(const std::string& message) const {
        throw Error(Errc::InvalidConfig,
                    policy_.name + ":" + std::to_string(line_no_) + ": " + message);
    }

    // Advances to the next line; false at the end of the text.
    bool next_line(std::string_view& line) {
        if (pos_ >= text_.size())
            return false;
        size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos)
            end = text_.size();
        line = text_.substr(pos_, end - pos_);
        pos_ = end + 1;
        ++line_no_;
        return true;
    }

    void parse_version() {
        std::string_view line;
        if (!next_line(line)) {
            ++line_no_; // the line that is missing
            fail("empty policy: line 1 must be the policy version (1 or 2)");
        }
        line = trim(line);
        if (line == "1")
            policy_.version = 1;
        else if (line == "2")
            policy_.version = 2;
        else
            fail("invalid policy version '" + std::string(line) + "' (expected 1 or 2)");
    }

    // Line 2 names the policy type; returns what follows it.
    std::string_view parse_type_line() {
        std::string_view line;
        if (!next_line(line)) {
            ++line_no_; // the line that is missing
            fail("missing policy type line (allowlist or denylist)");
        }
        std::string_view rest = strip_comment(line);
        if ((" " + std::string(rest) + " ").find(" debug ") != std::string::npos)
            fail("the 'debug' directive is not supported");
        std::string_view type = next_word(rest);
        if (type == "allowlist" || type == "whitelist")
            policy_.type = PolicyType::Allowlist;
        else if (type == "denylist" || type == "blacklist")
            policy_.type = PolicyType::Denylist;
        else
            fail("invalid policy type '" + std::string(type) +
                 "' (expected allowlist, whitelist, denylist or blacklist)");
        return rest;
    }

    void parse_v1() {
        std::string_view rest = parse_type_line();
        if (policy_.type != PolicyType::Allowlist)
            fail("version 1 policies can only be an allowlist");
        if (!rest.empty())
            fail("version 1 policies take no default action: '" + std::string(rest) + "'");
        policy_.default_action = Action{ActionType::Kill, 0};

        std::string_view line;
        while (next_line(line)) {
            line = strip_comment(line);
            if (line.empty())
                continue;
            Rule rule;
            rule.number = parse_syscall_number(line);
            rule.action = Action{ActionType::Allow, 0};
            rule.line = line_no_;
            policy_.rules.push_back(std::move(rule));
        }
    }

    int parse_syscall_number(std::string_view word) {
        int nr = -1;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), nr);
        if (ec != std::errc() || end != word.data() + word.size() || nr < 0)
            fail("invalid syscall number '" + std::string(word) + "'");
        return nr;
    }

    void parse_v2() {
        std::string_view rest = parse_type_line();
        // Like LXC: a denylist allows what it does not list and kills what it
        // lists without an action; an allowlist is the reverse.
        bool deny = policy_.type == PolicyType::Denylist;
        policy_.default_action = Action{deny ? ActionType::Allow : ActionType::Kill, 0};
        default_rule_action_ = Action{deny ? ActionType::Kill : ActionType::Allow, 0};
        if (!rest.empty()) {
            policy_.default_action = parse_action(rest);
            if (!rest.empty())
                fail("unexpected '" + std::string(rest) + "' after the default action");
            if (policy_.default_action.type == ActionType::Notify)
                fail("notify cannot be the default action");
        }

        std::string_view line;
        while (next_line(line)) {
            line = strip_comment(line);
            if (line.empty())
                continue;
            if (line.front() != '[')
                parse_rule(line);
            else if (line.back() == ']')
                parse_section(line.substr(1, line.size() - 2));
            else
                fail("unterminated section '" + std::string(line) + "'");
        }
    }

    void parse_section(std::string_view name) {
        name = trim(name);
        std::string lowered = lower(name);
        if (lowered == "all") {
            arch_ = std::nullopt;
            return;
        }
        std::optional<Arch> arch = parse_arch(lowered);
        if (!arch)
            fail("unsupported architecture section [" + std::string(name) + "]");
        arch_ = arch;
    }

    void parse_rule(std::string_view rest) {
        Rule rule;
        rule.line = line_no_;
        rule.arch = arch_;
        rule.syscall = std::string(next_word(rest));
        for (char c : rule.syscall) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
                fail("invalid syscall name '" + rule.syscall + "'");
        }
        rule.action = default_rule_action_;
        if (!rest.empty() && rest.front() != '[')
            rule.action = parse_action(rest);

        while (!rest.empty()) {
            if (rule.args.size() == max_arg_compares)
                fail("more than " + std::to_string(max_arg_compares) +
                     " argument comparisons for '" + rule.syscall + "'");
            rule.args.push_back(parse_arg_compare(rest));
        }

        if (rule.syscall == "reject_force_umount")
            rule = reject_force_umount_rule(rule);
        policy_.rules.push_back(std::move(rule));
    }

    // LXC's shorthand: umount2(..., MNT_FORCE) fails with EACCES.
    Rule reject_force_umount_rule(const Rule& written) {
        if (!written.args.empty())
            fail("reject_force_umount takes no argument comparisons");
        Rule rule;
        rule.line = written.line;
        rule.arch = written.arch;
        rule.syscall = "umount2";
        rule.action = Action{ActionType::Errno, EACCES};
        rule.args.push_back(ArgCompare{1, MNT_FORCE, CompareOp::MaskedEq, MNT_FORCE});
        return rule;
    }

    // Consumes an action ("kill", "errno 1", ...) from the front of rest.
    Action parse_action(std::string_view& rest) {
        std::string_view word = next_word(rest);
        if (word == "kill")
            return {ActionType::Kill, 0};
        if (word == "kill_process")
            return {ActionType::KillProcess, 0};
        if (word == "allow")
            return {ActionType::Allow, 0};
        if (word == "trap")
            return {ActionType::Trap, 0};
        if (word == "notify")
            return {ActionType::Notify, 0};
        if (word == "log")
            return {ActionType::Log, 0};
        if (word == "errno")
            return {ActionType::Errno, parse_errno(next_word(rest))};
        // LXC also accepts the number glued to the word: "errno1".
        if (word.starts_with("errno"))
            return {ActionType::Errno, parse_errno(word.substr(5))};
        fail("invalid seccomp action '" + std::string(word) +
             "' (expected kill, kill_process, errno N, allow, trap, notify or log)");
    }

    int parse_errno(std::string_view word) {
        if (word.empty())
            fail("'errno' needs a number");
        int value = -1;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
        if (ec != std::errc() || end != word.data() + word.size() || value < 0 || value > max_errno)
            fail("invalid errno number '" + std::string(word) + "' (expected 0.." +
                 std::to_string(max_errno) + ")");
        return value;
    }

    // Consumes one "[index,value,op]" or "[index,value,op,mask]" from the front of rest.
    ArgCompare parse_arg_compare(std::string_view& rest) {
        if (rest.front() != '[')
            fail("unexpected '" + std::string(rest) + "' (expected [index,value,op[,mask]])");
        size_t close = rest.find(']');
        if (close == std::string_view::npos)
            fail("unterminated argument comparison '" + std::string(rest) + "'");
        std::string_view body = rest.substr(1, close - 1);
        std::string text(rest.substr(0, close + 1));
        rest = trim(rest.substr(close + 1));

        std::vector<std::string_view> fields;
        for (size_t start = 0;;) {
            size_t comma = body.find(',', start);
            fields.push_back(trim(body.substr(start, comma - start)));
            if (comma == std::string_view::npos)
                break;
            start = comma + 1;
        }
        if (fields.size() != 3 && fields.size() != 4)
            fail("invalid argument comparison '" + text + "' (expected [index,value,op[,mask]])");

        ArgCompare cmp;
        uint64_t index = parse_u64(fields[0], "argument index", text);
        if (index > 5)
            fail("argument index " + std::string(fields[0]) + " out of range 0..5 in '" + text +
                 "'");
        cmp.index = static_cast<unsigned>(index);
        cmp.value = parse_u64(fields[1], "argument value", text);
        cmp.op = parse_op(fields[2], text);
        if (cmp.op == CompareOp::MaskedEq) {
            if (fields.size() != 4)
                fail("'&=' needs a mask: [index,value,&=,mask] in '" + text + "'");
            cmp.mask = parse_u64(fields[3], "mask", text);
        } else if (fields.size() == 4) {
            fail("a mask is only valid with '&=' in '" + text + "'");
        }
        return cmp;
    }

    uint64_t parse_u64(std::string_view word, const char* what, const std::string& text) {
        // Decimal, 0x hexadecimal or 0 octal, as strtoull with base 0.
        int base = 10;
        std::string_view digits = word;
        if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
            base = 16;
            digits.remove_prefix(2);
        } else if (digits.size() > 1 && digits[0] == '0') {
            base = 8;
            digits.remove_prefix(1);
        }
        uint64_t value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
            fail(std::string("invalid ") + what + " '" + std::string(word) + "' in '" + text + "'");
        return value;
    }

    CompareOp parse_op(std::string_view word, const std::string& text) {
        for (const auto& [name, op] : op_names) {
            if (word == name)
                return op;
        }
        fail("invalid comparison operator '" + std::string(word) + "' in '" + text +
             "' (expected ==, !=, <, <=, >, >= or &=)");
    }

    std::string_view text_;
    size_t pos_ = 0;
    unsigned line_no_ = 0;
    SeccompPolicy policy_;
    Action default_rule_action_;
    std::optional<Arch> arch_;
};

} // namespace

SeccompPolicy parse_seccomp_policy(std::string_view text, const std::string& name) {
    return Parser(text, name).parse();
}

SeccompPolicy load_seccomp_policy(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int err = errno;
        throw Error(Errc::InvalidConfig,
                    path.string() + ": cannot open seccomp policy: " + std::strerror(err), err);
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw Error(Errc::InvalidConfig, path.string() + ": cannot read seccomp policy");
    return parse_seccomp_policy(text.str(), path.string());
}

std::string to_string(const Action& action) {
    switch (action.type) {
    case ActionType::Kill:
        return "kill";
    case ActionType::KillProcess:
        return "kill_process";
    case ActionType::Errno:
        return "errno " + std::to_string(action.errno_value);
    case ActionType::Allow:
        return "allow";
    case ActionType::Trap:
        return "trap";
    case ActionType::Notify:
        return "notify";
    case ActionType::Log:
        return "log";
    }
    return "kill";
}

std::string_view arch_name(Arch arch) {
    for (const auto& entry : arch_names) {
        if (entry.arch == arch)
            return entry.name;
    }
    return "unknown";
}

std::string_view compare_op_name(CompareOp op) {
    for (const auto& entry : op_names) {
        if (entry.op == op)
            return entry.name;
    }
    return "==";
}

std::optional<Arch> parse_arch(std::string_view name) {
    std::string lowered = lower(name);
    for (const auto& entry : arch_names) {
        if (entry.name == lowered)
            return entry.arch;
    }
    return std::nullopt;
}

} // namespace lxcd::seccomp
