#include "cgroup_devices.hpp"
#include "error.hpp"

#include <cstring>
#include <stdexcept>

#include <gtest/gtest.h>

using namespace lxcd::cgroup;

namespace {

constexpr uint32_t R = BPF_DEVCG_ACC_READ, W = BPF_DEVCG_ACC_WRITE, M = BPF_DEVCG_ACC_MKNOD;
constexpr uint32_t CHR = BPF_DEVCG_DEV_CHAR, BLK = BPF_DEVCG_DEV_BLOCK;

// Runs a device program the way the kernel would, for the instructions the
// generator emits. Anything else fails the test.
int run(const std::vector<bpf_insn>& prog, uint32_t type, uint32_t access, uint32_t major,
        uint32_t minor) {
    bpf_cgroup_dev_ctx ctx{(access << 16) | type, major, minor};
    uint64_t reg[11] = {};
    for (size_t pc = 0; pc < prog.size(); pc++) {
        const bpf_insn& i = prog[pc];
        switch (i.code) {
        case BPF_LDX | BPF_W | BPF_MEM: {
            uint32_t v;
            EXPECT_EQ(i.src_reg, BPF_REG_1);
            std::memcpy(&v, reinterpret_cast<const char*>(&ctx) + i.off, sizeof v);
            reg[i.dst_reg] = v;
            break;
        }
        case BPF_ALU | BPF_AND | BPF_K:
            reg[i.dst_reg] = static_cast<uint32_t>(reg[i.dst_reg] & static_cast<uint32_t>(i.imm));
            break;
        case BPF_ALU | BPF_RSH | BPF_K:
            reg[i.dst_reg] = static_cast<uint32_t>(reg[i.dst_reg]) >> i.imm;
            break;
        case BPF_ALU | BPF_MOV | BPF_X:
            reg[i.dst_reg] = static_cast<uint32_t>(reg[i.src_reg]);
            break;
        case BPF_ALU64 | BPF_MOV | BPF_K:
            reg[i.dst_reg] = static_cast<uint64_t>(static_cast<int64_t>(i.imm));
            break;
        case BPF_JMP | BPF_JNE | BPF_K:
            if (reg[i.dst_reg] != static_cast<uint64_t>(static_cast<int64_t>(i.imm)))
                pc += i.off;
            break;
        case BPF_JMP | BPF_JNE | BPF_X:
            if (reg[i.dst_reg] != reg[i.src_reg])
                pc += i.off;
            break;
        case BPF_JMP | BPF_EXIT:
            return static_cast<int>(reg[0]);
        default:
            ADD_FAILURE() << "unexpected opcode " << int(i.code);
            return -1;
        }
    }
    ADD_FAILURE() << "program fell off its end";
    return -1;
}

DevicePolicy policy(std::initializer_list<std::pair<bool, const char*>> rules) {
    DevicePolicy p;
    for (auto& [allow, value] : rules)
        p.add(value, allow, allow ? "lxc.cgroup2.devices.allow" : "lxc.cgroup2.devices.deny");
    return p;
}

} // namespace

TEST(CgroupDevices, ParsesRules) {
    DeviceRule r = parse_device_rule("c 1:3 rw", true, "k");
    EXPECT_EQ(r, (DeviceRule{'c', 1, 3, R | W, true}));
    EXPECT_EQ(parse_device_rule("b *:* m", false, "k"), (DeviceRule{'b', -1, -1, M, false}));
    EXPECT_EQ(parse_device_rule("c 136:*", true, "k"), (DeviceRule{'c', 136, -1, R | W | M, true}));
    EXPECT_EQ(parse_device_rule("a", false, "k").type, 'a');
}

TEST(CgroupDevices, RejectsBadRulesNamingTheKey) {
    for (const char* bad :
         {"", "x 1:3 rw", "c 1-3 rw", "c 1:3 rwx", "c a:3", "c 1:3 r extra", "c 99999999999:1"}) {
        try {
            parse_device_rule(bad, true, "lxc.cgroup2.devices.allow");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const lxcd::Error& e) {
            EXPECT_EQ(e.code(), lxcd::Errc::InvalidConfig);
            EXPECT_NE(std::string(e.what()).find("lxc.cgroup2.devices.allow"), std::string::npos);
        }
    }
}

// The manual's allowlist example: only /dev/null usable, any device creatable.
TEST(CgroupDevices, Allowlist) {
    DevicePolicy p =
        policy({{false, "a"}, {true, "c *:* m"}, {true, "b *:* m"}, {true, "c 1:3 rwm"}});
    EXPECT_FALSE(p.default_allow());
    auto prog = p.program();
    EXPECT_EQ(run(prog, CHR, R | W, 1, 3), 1);
    EXPECT_EQ(run(prog, CHR, R, 1, 5), 0);
    EXPECT_EQ(run(prog, CHR, M, 1, 5), 1);
    EXPECT_EQ(run(prog, BLK, M, 8, 0), 1);
    EXPECT_EQ(run(prog, BLK, R, 8, 0), 0);
}

// The manual's denylist example: no mknod at all, /dev/null denied, rest allowed.
// The kernel's verifier refuses an offset on anything but jumps and memory access
// ("BPF_ALU uses reserved fields"): rules with an access mask have an AND.
TEST(CgroupDevices, OnlyJumpsAndLoadsHaveOffsets) {
    DevicePolicy p;
    p.add("a", false, "lxc.cgroup2.devices.deny");
    p.add("c 1:3 r", true, "lxc.cgroup2.devices.allow");
    p.add("c 136:* rw", true, "lxc.cgroup2.devices.allow");
    for (const bpf_insn& i : p.program()) {
        if (BPF_CLASS(i.code) == BPF_ALU || BPF_CLASS(i.code) == BPF_ALU64) {
            EXPECT_EQ(i.off, 0) << "ALU instruction 0x" << std::hex << int(i.code);
        }
    }
}

TEST(CgroupDevices, Denylist) {
    DevicePolicy p =
        policy({{true, "a"}, {false, "c *:* m"}, {false, "b *:* m"}, {false, "c 1:3 rwm"}});
    EXPECT_TRUE(p.default_allow());
    auto prog = p.program();
    EXPECT_EQ(run(prog, CHR, R, 1, 3), 0);
    EXPECT_EQ(run(prog, CHR, W, 1, 3), 0);
    EXPECT_EQ(run(prog, CHR, R | W, 1, 5), 1);
    EXPECT_EQ(run(prog, CHR, M, 1, 5), 0);
    EXPECT_EQ(run(prog, BLK, M, 8, 0), 0);
    EXPECT_EQ(run(prog, BLK, R, 8, 0), 1);
}

TEST(CgroupDevices, GlobalRuleResetsTheList) {
    // Same type again: rules dropped, type kept.
    DevicePolicy same = policy({{true, "a"}, {false, "c 1:3 rwm"}, {true, "a"}});
    EXPECT_TRUE(same.default_allow());
    EXPECT_TRUE(same.effective_rules().empty());
    EXPECT_EQ(run(same.program(), CHR, R, 1, 3), 1);
    // The other type: rules dropped, allowlist becomes denylist.
    DevicePolicy flip = policy({{false, "a"}, {true, "c 1:3 rwm"}, {true, "a"}});
    EXPECT_TRUE(flip.default_allow());
    EXPECT_TRUE(flip.effective_rules().empty());
}

TEST(CgroupDevices, IgnoresRulesThatMatchTheDefault) {
    DevicePolicy p = policy({{false, "a"}, {false, "c 1:3 rwm"}, {true, "c 1:5 r"}});
    ASSERT_EQ(p.effective_rules().size(), 1u);
    EXPECT_EQ(p.effective_rules()[0].minor, 5);
    auto prog = p.program();
    EXPECT_EQ(run(prog, CHR, R, 1, 5), 1);
    EXPECT_EQ(run(prog, CHR, W, 1, 5), 0); // access is a subset check
    EXPECT_EQ(run(prog, CHR, R, 1, 3), 0);
}

TEST(CgroupDevices, WithoutGlobalRuleItIsAnAllowlist) {
    DevicePolicy p = policy({{true, "c 1:3 rwm"}});
    EXPECT_FALSE(p.default_allow());
    EXPECT_EQ(run(p.program(), CHR, R, 1, 3), 1);
    EXPECT_EQ(run(p.program(), CHR, R, 1, 7), 0);
}

TEST(CgroupDevices, RepeatedRuleFlipsItsDecision) {
    DevicePolicy p = policy({{false, "a"}, {true, "c 1:3 rwm"}, {false, "c 1:3 rwm"}});
    EXPECT_TRUE(p.effective_rules().empty());
    EXPECT_EQ(run(p.program(), CHR, R, 1, 3), 0);
}
