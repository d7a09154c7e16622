// Fuzzes the seccomp policy parser and compiler: any text either yields a
// policy that compiles and exports to BPF, or an lxcd::Error naming file:line.
#include "error.hpp"
#include "seccomp_filter.hpp"
#include "seccomp_policy.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace lxcd::seccomp;

// libseccomp 2.5 itself leaks a rule node when a later, more general rule for
// the same syscall replaces an earlier one ("personality kill [5,82,==] [2,0,!=]"
// then "personality kill [5,82,==]"); that is not ours to fix here.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libseccomp.so\n";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        SeccompPolicy policy = parse_seccomp_policy(text, "fuzz");
        SeccompFilter filter = compile(policy);
        if (filter.export_bpf().empty()) {
            std::fprintf(stderr, "compiled policy exported no BPF\n");
            std::abort();
        }
    } catch (const lxcd::Error& e) {
        if (std::string_view(e.what()).substr(0, 5) != "fuzz:") {
            std::fprintf(stderr, "error does not name the policy: %s\n", e.what());
            std::abort();
        }
    }
    return 0;
}
