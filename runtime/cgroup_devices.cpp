#include "cgroup_devices.hpp"

#include "cgroup_fs.hpp"
#include "error.hpp"
#include "fd.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <string>

#include <sys/syscall.h>
#include <unistd.h>

namespace lxcd::cgroup {

namespace {

constexpr uint32_t kAllAccess = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;

[[noreturn]] void bad_rule(std::string_view key, std::string_view value, const std::string& why) {
    throw Error(Errc::InvalidConfig,
                std::string(key) + ": invalid device rule '" + std::string(value) + "': " + why);
}

int64_t parse_number(std::string_view s, std::string_view key, std::string_view value) {
    if (s == "*")
        return -1;
    int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || n < 0 || n > INT32_MAX)
        bad_rule(key, value, "'" + std::string(s) + "' is not a device number or '*'");
    return n;
}

uint32_t parse_access(std::string_view s, std::string_view key, std::string_view value) {
    uint32_t access = 0;
    for (char c : s) {
        if (c == 'r')
            access |= BPF_DEVCG_ACC_READ;
        else if (c == 'w')
            access |= BPF_DEVCG_ACC_WRITE;
        else if (c == 'm')
            access |= BPF_DEVCG_ACC_MKNOD;
        else
            bad_rule(key, value, "access must be made of 'r', 'w' and 'm'");
    }
    return access;
}

// Instruction builders (the kernel's filter.h macros are not UAPI).
bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}
bpf_insn load_u32(uint8_t dst, int16_t offset) {
    return insn(BPF_LDX | BPF_W | BPF_MEM, dst, BPF_REG_1, offset, 0);
}
bpf_insn alu32_imm(uint8_t op, uint8_t dst, int32_t imm) {
    return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov32_reg(uint8_t dst, uint8_t src) {
    return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn mov64_imm(uint8_t dst, int32_t imm) {
    return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
bpf_insn jne_imm(uint8_t dst, int32_t imm) {
    return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, 0, imm);
}
bpf_insn jne_reg(uint8_t dst, uint8_t src) {
    return insn(BPF_JMP | BPF_JNE | BPF_X, dst, src, 0, 0);
}
bpf_insn exit_insn() {
    return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

// Registers after the prologue: r2 device type, r3 requested access, r4 major, r5 minor.
void append_prologue(std::vector<bpf_insn>& prog) {
    prog.push_back(load_u32(BPF_REG_2, offsetof(bpf_cgroup_dev_ctx, access_type)));
    prog.push_back(alu32_imm(BPF_AND, BPF_REG_2, 0xffff));
    prog.push_back(load_u32(BPF_REG_3, offsetof(bpf_cgroup_dev_ctx, access_type)));
    prog.push_back(alu32_imm(BPF_RSH, BPF_REG_3, 16));
    prog.push_back(load_u32(BPF_REG_4, offsetof(bpf_cgroup_dev_ctx, major)));
    prog.push_back(load_u32(BPF_REG_5, offsetof(bpf_cgroup_dev_ctx, minor)));
}

// One rule: every check that fails jumps past the block to the next rule.
void append_rule(std::vector<bpf_insn>& prog, const DeviceRule& r) {
    std::vector<bpf_insn> block;
    if (r.access != kAllAccess) {
        // The request must be a subset of the rule's access: (req & rule) == req.
        block.push_back(mov32_reg(BPF_REG_1, BPF_REG_3));
        block.push_back(alu32_imm(BPF_AND, BPF_REG_1, static_cast<int32_t>(r.access)));
        block.push_back(jne_reg(BPF_REG_1, BPF_REG_3));
    }
    if (r.type != 'a')
        block.push_back(
            jne_imm(BPF_REG_2, r.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR));
    if (r.major >= 0)
        block.push_back(jne_imm(BPF_REG_4, static_cast<int32_t>(r.major)));
    if (r.minor >= 0)
        block.push_back(jne_imm(BPF_REG_5, static_cast<int32_t>(r.minor)));
    block.push_back(mov64_imm(BPF_REG_0, r.allow ? 1 : 0));
    block.push_back(exit_insn());
    for (size_t i = 0; i < block.size(); i++)
        // The class too: BPF_AND has the same op bits as BPF_JNE.
        if (BPF_CLASS(block[i].code) == BPF_JMP && BPF_OP(block[i].code) == BPF_JNE)
            block[i].off = static_cast<int16_t>(block.size() - i - 1);
    prog.insert(prog.end(), block.begin(), block.end());
}

long bpf(int cmd, bpf_attr& attr) {
    return ::syscall(__NR_bpf, cmd, &attr, sizeof attr);
}

UniqueFd load_program(const std::vector<bpf_insn>& program, std::string_view cgroup_name) {
    static const char license[] = "GPL";
    bpf_attr attr{};
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = reinterpret_cast<uintptr_t>(program.data());
    attr.insn_cnt = static_cast<uint32_t>(program.size());
    attr.license = reinterpret_cast<uintptr_t>(license);
    UniqueFd fd(static_cast<int>(bpf(BPF_PROG_LOAD, attr)));
    if (fd)
        return fd;
    int err = errno;
    // Load again with the verifier's log so the error says why.
    std::string log(65536, '\0');
    attr.log_buf = reinterpret_cast<uintptr_t>(log.data());
    attr.log_size = static_cast<uint32_t>(log.size());
    attr.log_level = 1;
    UniqueFd unused(static_cast<int>(bpf(BPF_PROG_LOAD, attr))); // closed if it loads now
    log.resize(log.find('\0'));
    throw_errno("load device program for cgroup " + std::string(cgroup_name) +
                    (log.empty() ? std::string() : " (verifier: " + std::string(trim(log)) + ")"),
                err);
}

} // namespace

DeviceRule parse_device_rule(std::string_view value, bool allow, std::string_view key) {
    std::vector<std::string> tok;
    for (auto& t : split(value, ' '))
        for (auto& u : split(t, '\t'))
            tok.push_back(u);
    if (tok.empty() || tok.size() > 3)
        bad_rule(key, value, "expected 'TYPE [MAJOR:MINOR [ACCESS]]'");
    DeviceRule r;
    r.allow = allow;
    r.access = kAllAccess;
    if (tok[0] != "a" && tok[0] != "b" && tok[0] != "c")
        bad_rule(key, value, "type must be 'a', 'b' or 'c'");
    r.type = tok[0][0];
    if (tok.size() >= 2) {
        size_t colon = tok[1].find(':');
        if (colon == std::string::npos)
            bad_rule(key, value, "expected MAJOR:MINOR, got '" + tok[1] + "'");
        r.major = parse_number(std::string_view(tok[1]).substr(0, colon), key, value);
        r.minor = parse_number(std::string_view(tok[1]).substr(colon + 1), key, value);
    }
    if (tok.size() == 3) {
        r.access = parse_access(tok[2], key, value);
        if (r.access == 0)
            bad_rule(key, value, "empty access");
    }
    return r;
}

void DevicePolicy::add(std::string_view value, bool allow, std::string_view key) {
    DeviceRule r = parse_device_rule(value, allow, key);
    if (r.type == 'a') {
        // "allow a" lets everything through unless denied: a denylist.
        default_allow_ = allow;
        rules_.clear();
        return;
    }
    auto same = std::find_if(rules_.begin(), rules_.end(), [&](const DeviceRule& o) {
        return o.type == r.type && o.major == r.major && o.minor == r.minor && o.access == r.access;
    });
    if (same != rules_.end())
        same->allow = allow;
    else
        rules_.push_back(r);
}

std::vector<DeviceRule> DevicePolicy::effective_rules() const {
    std::vector<DeviceRule> out;
    std::copy_if(rules_.begin(), rules_.end(), std::back_inserter(out),
                 [&](const DeviceRule& r) { return r.allow != default_allow_; });
    return out;
}

std::vector<bpf_insn> DevicePolicy::program() const {
    std::vector<bpf_insn> prog;
    append_prologue(prog);
    for (const auto& r : effective_rules())
        append_rule(prog, r);
    prog.push_back(mov64_imm(BPF_REG_0, default_allow_ ? 1 : 0));
    prog.push_back(exit_insn());
    return prog;
}

void attach_device_program(int cgroup_fd, const std::vector<bpf_insn>& program,
                           std::string_view cgroup_name) {
    UniqueFd prog = load_program(program, cgroup_name);
    bpf_attr attr{};
    attr.target_fd = static_cast<uint32_t>(cgroup_fd);
    attr.attach_bpf_fd = static_cast<uint32_t>(prog.get());
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (bpf(BPF_PROG_ATTACH, attr) < 0)
        throw_errno("attach device program to cgroup " + std::string(cgroup_name));
}

} // namespace lxcd::cgroup
