#include "error.hpp"
#include "seccomp_filter.hpp"
#include "seccomp_policy.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lxcd::seccomp;
using lxcd::Errc;
using lxcd::Error;

namespace {

std::filesystem::path data_file(const std::string& name) {
    const char* root = std::getenv("LXCD_SOURCE_ROOT");
    return std::filesystem::path(root ? root : ".") / "tests/data/seccomp" / name;
}

// Splits libseccomp's PFC output into the block of each architecture.
std::map<std::string, std::string> pfc_by_arch(const std::string& pfc) {
    std::map<std::string, std::string> blocks;
    const std::string marker = "# filter for arch ";
    for (size_t at = pfc.find(marker); at != std::string::npos;) {
        size_t name_start = at + marker.size();
        std::string arch = pfc.substr(name_start, pfc.find(' ', name_start) - name_start);
        size_t next = pfc.find(marker, name_start);
        blocks[arch] = pfc.substr(at, next == std::string::npos ? next : next - at);
        at = next;
    }
    return blocks;
}

// Expects parsing (or compiling) `text` to fail with a message starting "test.seccomp:LINE: ".
void expect_error(const std::string& text, unsigned line, const std::string& fragment) {
    try {
        SeccompPolicy policy = parse_seccomp_policy(text, "test.seccomp");
        compile(policy, Arch::X86_64);
        ADD_FAILURE() << "no error for:\n" << text;
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::InvalidConfig);
        std::string message = e.what();
        EXPECT_EQ(message.rfind("test.seccomp:" + std::to_string(line) + ": ", 0), 0u) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
    }
}

// libseccomp 2.5 prints SCMP_ACT_NOTIFY as a number in its PFC output.
constexpr const char* notify_action = "action 0x7fc00000;";

std::string denylist(const std::string& rules) {
    return "2\ndenylist\n" + rules;
}

} // namespace

TEST(SeccompPolicy, Seed000CommonSeccompCompilesToBpf) {
    SeccompPolicy policy = load_seccomp_policy(data_file("common.seccomp"));
    EXPECT_EQ(policy.version, 2);
    EXPECT_EQ(policy.type, PolicyType::Denylist);
    EXPECT_EQ(policy.default_action, (Action{ActionType::Allow, 0}));
    ASSERT_EQ(policy.rules.size(), 5u);
    const char* names[] = {"kexec_load", "open_by_handle_at", "init_module", "finit_module",
                           "delete_module"};
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(policy.rules[i].syscall, names[i]);
        EXPECT_EQ(policy.rules[i].action, (Action{ActionType::Errno, 1}));
        EXPECT_FALSE(policy.rules[i].arch);
        EXPECT_EQ(policy.rules[i].line, i + 4);
    }

    SeccompFilter filter = compile(policy);
    std::vector<uint8_t> bpf = filter.export_bpf();
    EXPECT_GT(bpf.size(), 5 * 8u); // at least one instruction per rule
    EXPECT_EQ(bpf.size() % 8, 0u); // whole struct sock_filter entries
    EXPECT_TRUE(filter.warnings().empty());
    std::string pfc = filter.export_pfc();
    for (const char* name : names)
        EXPECT_NE(pfc.find(std::string("\"") + name + "\""), std::string::npos) << name;
    EXPECT_NE(pfc.find("ERRNO(1)"), std::string::npos);
}

TEST(SeccompPolicy, Seed001DenylistExampleCompilesToBpf) {
    SeccompPolicy policy = load_seccomp_policy(data_file("denylist-example.seccomp"));
    ASSERT_EQ(policy.rules.size(), 2u);
    EXPECT_EQ(policy.rules[0].syscall, "mknod");
    EXPECT_EQ(policy.rules[0].action, (Action{ActionType::Errno, 0}));
    EXPECT_EQ(policy.rules[1].syscall, "ioctl");
    EXPECT_EQ(policy.rules[1].action.type, ActionType::Notify);

    SeccompFilter filter = compile(policy);
    EXPECT_FALSE(filter.export_bpf().empty());
    EXPECT_TRUE(filter.uses_notify());
    std::string pfc = filter.export_pfc();
    EXPECT_NE(pfc.find("\"mknod\""), std::string::npos);
    EXPECT_NE(pfc.find(notify_action), std::string::npos);
}

TEST(SeccompPolicy, LxcCommonSeccompWithRejectForceUmount) {
    SeccompPolicy policy = load_seccomp_policy(data_file("lxc-common.seccomp"));
    ASSERT_EQ(policy.rules.size(), 7u);
    const Rule& umount = policy.rules[0];
    EXPECT_EQ(umount.syscall, "umount2");
    EXPECT_EQ(umount.action, (Action{ActionType::Errno, EACCES}));
    ASSERT_EQ(umount.args.size(), 1u);
    EXPECT_EQ(umount.args[0], (ArgCompare{1, MNT_FORCE, CompareOp::MaskedEq, MNT_FORCE}));
    EXPECT_EQ(policy.rules[6].action, (Action{ActionType::Errno, 38}));
    EXPECT_FALSE(compile(policy).export_bpf().empty());
}

TEST(SeccompPolicy, Version1AllowlistOfNumbers) {
    SeccompPolicy policy = load_seccomp_policy(data_file("allowlist-v1.seccomp"));
    EXPECT_EQ(policy.version, 1);
    EXPECT_EQ(policy.type, PolicyType::Allowlist);
    EXPECT_EQ(policy.default_action.type, ActionType::Kill);
    ASSERT_EQ(policy.rules.size(), 1u);
    EXPECT_EQ(policy.rules[0].number, 103);
    EXPECT_EQ(policy.rules[0].action.type, ActionType::Allow);

    // Version 1 numbers are the native table's: 103 is syslog on x86_64.
    SeccompFilter filter = compile(policy, Arch::X86_64);
    EXPECT_EQ(filter.arches(), std::vector<Arch>{Arch::X86_64});
    std::string pfc = filter.export_pfc();
    EXPECT_NE(pfc.find("\"syslog\" (103)"), std::string::npos) << pfc;
    EXPECT_NE(pfc.find("action KILL;"), std::string::npos) << pfc;

    SeccompPolicy modern = parse_seccomp_policy("1\nallowlist\n0\n# comment\n\n1\n", "v1");
    EXPECT_EQ(modern.rules.size(), 2u);
    EXPECT_FALSE(compile(modern).export_bpf().empty());
}

TEST(SeccompPolicy, DefaultActionsFollowLxc) {
    SeccompPolicy deny = parse_seccomp_policy(denylist("reboot\n"), "p");
    EXPECT_EQ(deny.default_action.type, ActionType::Allow);
    EXPECT_EQ(deny.rules[0].action.type, ActionType::Kill);

    SeccompPolicy allow = parse_seccomp_policy("2\nwhitelist errno 0\nread\n", "p");
    EXPECT_EQ(allow.type, PolicyType::Allowlist);
    EXPECT_EQ(allow.default_action, (Action{ActionType::Errno, 0}));
    EXPECT_EQ(allow.rules[0].action.type, ActionType::Allow);

    SeccompPolicy plain_allow = parse_seccomp_policy("2\nallowlist\nread\n", "p");
    EXPECT_EQ(plain_allow.default_action.type, ActionType::Kill);

    SeccompPolicy deny_trap = parse_seccomp_policy("2\nblacklist trap\nread kill\n", "p");
    EXPECT_EQ(deny_trap.default_action.type, ActionType::Trap);
}

TEST(SeccompPolicy, EveryAction) {
    SeccompPolicy policy = parse_seccomp_policy("2\nallowlist errno 38\n"
                                                "read allow\n"
                                                "write kill\n"
                                                "close kill_process\n"
                                                "getpid errno 5\n"
                                                "getppid trap\n"
                                                "getuid notify\n"
                                                "getgid log\n"
                                                "gettid errno13\n",
                                                "actions");
    std::vector<Action> expected{{ActionType::Allow, 0},       {ActionType::Kill, 0},
                                 {ActionType::KillProcess, 0}, {ActionType::Errno, 5},
                                 {ActionType::Trap, 0},        {ActionType::Notify, 0},
                                 {ActionType::Log, 0},         {ActionType::Errno, 13}};
    ASSERT_EQ(policy.rules.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(policy.rules[i].action, expected[i]) << to_string(expected[i]);

    std::string pfc = compile(policy, Arch::X86_64).export_pfc();
    for (const char* action :
         {"action ALLOW;", "action KILL;", "action KILL_PROCESS;", "action ERRNO(5);",
          "action TRAP;", notify_action, "action LOG;", "action ERRNO(13);", "action ERRNO(38);"})
        EXPECT_NE(pfc.find(action), std::string::npos) << action << "\n" << pfc;
}

TEST(SeccompPolicy, RuleWithTheDefaultActionIsANoOp) {
    SeccompFilter filter = compile(parse_seccomp_policy(denylist("read allow\n"), "p"));
    EXPECT_EQ(filter.export_pfc().find("\"read\""), std::string::npos);
    EXPECT_TRUE(filter.warnings().empty());
}

TEST(SeccompPolicy, ArgumentComparisons) {
    SeccompPolicy policy = parse_seccomp_policy(
        denylist("ioctl errno 1 [1,0x5412,==]\n"
                 "personality errno 2 [0, 8, !=] [1,1,<] [2,2,<=] [3,3,>] [4,4,>=] [5,0x7,&=,017]\n"
                 "kill errno 3 [1,9,SCMP_CMP_EQ]\n"
                 "setns [1,0,&=,0x40000000]\n"),
        "args");
    ASSERT_EQ(policy.rules.size(), 4u);
    EXPECT_EQ(policy.rules[0].args, (std::vector<ArgCompare>{{1, 0x5412, CompareOp::Eq, 0}}));
    EXPECT_EQ(policy.rules[1].args, (std::vector<ArgCompare>{{0, 8, CompareOp::Ne, 0},
                                                             {1, 1, CompareOp::Lt, 0},
                                                             {2, 2, CompareOp::Le, 0},
                                                             {3, 3, CompareOp::Gt, 0},
                                                             {4, 4, CompareOp::Ge, 0},
                                                             {5, 7, CompareOp::MaskedEq, 017}}));
    EXPECT_EQ(policy.rules[2].args[0].op, CompareOp::Eq);
    // Arguments without an action take the list's default rule action.
    EXPECT_EQ(policy.rules[3].action.type, ActionType::Kill);
    EXPECT_EQ(policy.rules[3].args[0].mask, 0x40000000u);

    SeccompFilter filter = compile(policy, Arch::X86_64);
    std::string pfc = pfc_by_arch(filter.export_pfc())["x86_64"];
    EXPECT_NE(pfc.find("if ($a1.lo32 == 21522)"), std::string::npos) << pfc;
    EXPECT_NE(pfc.find("if ($a5.lo32 & 0x0000000f == 7)"), std::string::npos) << pfc;
    EXPECT_NE(pfc.find("if ($a0.lo32 == 8)\n      else"), std::string::npos) << pfc;
}

TEST(SeccompPolicy, ArchSectionsGoToTheirArchitectureOnly) {
    const std::string text = denylist("getpid errno 9\n"
                                      "[x86_64]\ngetppid errno 1\n"
                                      "[I386]\ngetuid errno 2\n"
                                      "[x32]\ngetgid errno 3\n"
                                      "[arm]\ngeteuid errno 4\n"
                                      "[aarch64]\ngetegid errno 5\n"
                                      "[mips]\nsync errno 6\n"
                                      "[all]\ngettid errno 7\n");
    SeccompPolicy policy = parse_seccomp_policy(text, "arch");
    EXPECT_FALSE(policy.rules[0].arch);
    EXPECT_EQ(policy.rules[1].arch, Arch::X86_64);
    EXPECT_EQ(policy.rules[2].arch, Arch::X86);
    EXPECT_EQ(policy.rules[5].arch, Arch::Aarch64);
    EXPECT_FALSE(policy.rules[7].arch);

    SeccompFilter x86_host = compile(policy, Arch::X86_64);
    EXPECT_EQ(x86_host.arches(), (std::vector<Arch>{Arch::X86_64, Arch::X86, Arch::X32}));
    auto blocks = pfc_by_arch(x86_host.export_pfc());
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_NE(blocks["x86_64"].find("ERRNO(1)"), std::string::npos);
    EXPECT_EQ(blocks["x86_64"].find("ERRNO(2)"), std::string::npos);
    EXPECT_NE(blocks["x86"].find("ERRNO(2)"), std::string::npos);
    EXPECT_EQ(blocks["x86"].find("ERRNO(1)"), std::string::npos);
    EXPECT_NE(blocks["x32"].find("ERRNO(3)"), std::string::npos);
    for (auto& [arch, block] : blocks) {
        EXPECT_NE(block.find("ERRNO(9)"), std::string::npos) << arch;
        EXPECT_NE(block.find("ERRNO(7)"), std::string::npos) << arch;
        for (const char* foreign : {"ERRNO(4)", "ERRNO(5)", "ERRNO(6)"})
            EXPECT_EQ(block.find(foreign), std::string::npos) << arch << " " << foreign;
    }

    SeccompFilter arm_host = compile(policy, Arch::Aarch64);
    EXPECT_EQ(arm_host.arches(), (std::vector<Arch>{Arch::Aarch64, Arch::Arm}));
    blocks = pfc_by_arch(arm_host.export_pfc());
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_NE(blocks["aarch64"].find("ERRNO(5)"), std::string::npos);
    EXPECT_NE(blocks["arm"].find("ERRNO(4)"), std::string::npos);
    EXPECT_EQ(blocks["aarch64"].find("ERRNO(1)"), std::string::npos);
    EXPECT_FALSE(arm_host.export_bpf().empty());
}

TEST(SeccompPolicy, SyscallMissingOnOneArchIsSkippedThere) {
    // open exists on arm but not on aarch64.
    SeccompFilter filter =
        compile(parse_seccomp_policy(denylist("open errno 1\n"), "p"), Arch::Aarch64);
    auto blocks = pfc_by_arch(filter.export_pfc());
    EXPECT_EQ(blocks["aarch64"].find("\"open\""), std::string::npos);
    EXPECT_NE(blocks["arm"].find("\"open\""), std::string::npos);
    EXPECT_TRUE(filter.warnings().empty());
}

TEST(SeccompPolicy, UnknownSyscallIsSkippedWithWarning) {
    SeccompPolicy policy = parse_seccomp_policy(
        denylist("# comment\nno_such_syscall errno 1\ngetpid errno 1\n"), "warn.seccomp");
    SeccompFilter filter = compile(policy);
    ASSERT_EQ(filter.warnings().size(), 1u);
    EXPECT_EQ(filter.warnings()[0], "warn.seccomp:4: unknown syscall 'no_such_syscall'; rule "
                                    "skipped");
    EXPECT_NE(filter.export_pfc().find("\"getpid\""), std::string::npos);
}

TEST(SeccompPolicy, ErrorsNameFileAndLine) {
    expect_error("", 1, "empty policy");
    expect_error("3\ndenylist\n", 1, "invalid policy version '3'");
    expect_error("2\n", 2, "missing policy type");
    expect_error("2\ngreylist\n", 2, "invalid policy type 'greylist'");
    expect_error("2\ndenylist debug\n", 2, "'debug'");
    expect_error("2\ndenylist frob\n", 2, "invalid seccomp action 'frob'");
    expect_error("2\ndenylist notify\n", 2, "notify cannot be the default action");
    expect_error("1\ndenylist\n", 2, "only be an allowlist");
    expect_error("1\nallowlist\n12\nread\n", 4, "invalid syscall number 'read'");
    expect_error("1\nallowlist\n-3\n", 3, "invalid syscall number '-3'");
    expect_error(denylist("read frobnicate\n"), 3, "invalid seccomp action 'frobnicate'");
    expect_error(denylist("read\nread errno\n"), 4, "'errno' needs a number");
    expect_error(denylist("read errno -1\n"), 3, "invalid errno number '-1'");
    expect_error(denylist("read errno 4096\n"), 3, "invalid errno number '4096'");
    expect_error(denylist("read errno EPERM\n"), 3, "invalid errno number 'EPERM'");
    expect_error(denylist("read errno 1 junk\n"), 3, "expected [index,value,op[,mask]]");
    expect_error(denylist("re-ad errno 1\n"), 3, "invalid syscall name 're-ad'");
    expect_error(denylist("[vax]\n"), 3, "unsupported architecture section [vax]");
    expect_error(denylist("[x86\n"), 3, "unterminated section");
    expect_error(denylist("read errno 1 [0,1,=~]\n"), 3, "invalid comparison operator '=~'");
    expect_error(denylist("read errno 1 [6,1,==]\n"), 3, "argument index 6 out of range");
    expect_error(denylist("read errno 1 [0,zz,==]\n"), 3, "invalid argument value 'zz'");
    expect_error(denylist("read errno 1 [0,1]\n"), 3, "invalid argument comparison '[0,1]'");
    expect_error(denylist("read errno 1 [0,1,&=]\n"), 3, "'&=' needs a mask");
    expect_error(denylist("read errno 1 [0,1,==,3]\n"), 3, "only valid with '&='");
    expect_error(denylist("read errno 1 [0,1,==\n"), 3, "unterminated argument comparison");
    expect_error(denylist("read errno 1 [0,1,==] [1,1,==] [2,1,==] [3,1,==] [4,1,==] [5,1,==] "
                          "[0,2,==]\n"),
                 3, "more than 6 argument comparisons");
    expect_error(denylist("reject_force_umount [0,1,==]\n"), 3, "takes no argument");
    // libseccomp's own refusal (two comparisons of one argument) names the line too.
    expect_error(denylist("\n\nread errno 1 [0,1,==] [0,2,==]\n"), 5, "libseccomp rejects");
}

// libseccomp 2.5 never returns from this shape (found by fuzz_seccomp); it must be refused.
TEST(SeccompPolicy, RulesLibseccompLoopsOnAreRefused) {
    expect_error(denylist("ioctl errno 1 [1,3,>=] [3,7,==]\n"
                          "ioctl errno 2 [1,3,>=] [4,7,==]\n"),
                 4, "the one on line 3 share the comparison [1,3,>=]");
    // Shapes libseccomp handles still compile.
    SeccompPolicy fine = parse_seccomp_policy(denylist("ioctl errno 1 [1,3,>=] [3,7,==]\n"
                                                       "ioctl errno 1 [1,3,>=]\n"
                                                       "fcntl errno 3 [0,7,==] [3,3,>=]\n"
                                                       "fcntl errno 3 [1,7,==] [3,3,>=]\n"
                                                       "prctl errno 5 [1,3,==] [3,7,==]\n"
                                                       "prctl errno 5 [1,3,==] [4,7,==]\n"),
                                              "p");
    EXPECT_FALSE(compile(fine).export_bpf().empty());
}

TEST(SeccompPolicy, MissingFileIsAnError) {
    try {
        load_seccomp_policy("/nonexistent/lxcd.seccomp");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::InvalidConfig);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/lxcd.seccomp: cannot open"),
                  std::string::npos);
    }
}

TEST(SeccompPolicy, ArchNames) {
    EXPECT_EQ(parse_arch("i386"), Arch::X86);
    EXPECT_EQ(parse_arch("ARM64"), Arch::Aarch64);
    EXPECT_EQ(parse_arch("amd64"), Arch::X86_64);
    EXPECT_FALSE(parse_arch("all"));
    EXPECT_EQ(arch_name(Arch::Aarch64), "arm64");
    EXPECT_EQ(compare_op_name(CompareOp::MaskedEq), "&=");
    EXPECT_EQ(runnable_arches(native_arch()).front(), native_arch());
}

// Loads real filters into a forked child and checks the kernel enforces them.
TEST(SeccompFilterLoad, DeniedSyscallsFailInTheChild) {
    SeccompFilter filter = compile(parse_seccomp_policy(denylist("getppid errno 1\n"
                                                                 "getpgid errno 13 [0,1,==]\n"
                                                                 "reject_force_umount\n"),
                                                        "load"));
    pid_t expected_pid = getpid();
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        try {
            filter.load(NoNewPrivs::Set);
        } catch (...) {
            _exit(10);
        }
        errno = 0;
        if (syscall(SYS_getppid) != -1 || errno != EPERM)
            _exit(11);
        if (syscall(SYS_getpid) == -1)
            _exit(12);
        if (syscall(SYS_getpgid, 1) != -1 || errno != EACCES)
            _exit(13);
        if (syscall(SYS_getpgid, 0) == -1)
            _exit(14);
        if (umount2("/nonexistent-lxcd", MNT_FORCE) != -1 || errno != EACCES)
            _exit(15);
        if (umount2("/nonexistent-lxcd", 0) != -1 || errno == EACCES)
            _exit(16);
        _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "child killed by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 0) << "check " << WEXITSTATUS(status) << " failed";
    // The parent is unaffected.
    EXPECT_EQ(getpid(), expected_pid);
    EXPECT_NE(syscall(SYS_getppid), -1);
}

TEST(SeccompFilterLoad, KillActionKillsTheChild) {
    SeccompFilter filter = compile(parse_seccomp_policy(denylist("getppid kill_process\n"), "k"));
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        try {
            filter.load(NoNewPrivs::Set);
        } catch (...) {
            _exit(2);
        }
        syscall(SYS_getppid);
        _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGSYS);
}

TEST(SeccompFilterLoad, NotifyRuleCreatesAListener) {
    SeccompFilter filter = compile(parse_seccomp_policy(denylist("mknod notify\n"), "n"));
    ASSERT_TRUE(filter.uses_notify());
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        try {
            filter.load(NoNewPrivs::Set);
            lxcd::UniqueFd listener = filter.take_notify_fd();
            _exit(listener && syscall(SYS_getpid) != -1 ? 0 : 1);
        } catch (...) {
            _exit(2);
        }
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

// Found by fuzzing: the second rule skips an argument the first compares.
TEST(SeccompPolicy, RulesThatSkipAnArgumentAfterASharedRangeAreRefused) {
    expect_error(denylist("ioctl errno 1 [1,3,>=] [2,3,>=] [3,7,==]\n"
                          "ioctl errno 2 [1,3,>=] [3,7,==]\n"),
                 4, "the one on line 3 share the comparison [1,3,>=]");
}
