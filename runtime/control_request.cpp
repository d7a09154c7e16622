#include "control_request.hpp"

#include "error.hpp"

#include <charconv>
#include <csignal>
#include <sstream>
#include <vector>

namespace lxcd::runtime {

namespace {

int parse_int(std::string_view word, std::string_view what) {
    int value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc() || end != word.data() + word.size())
        throw Error(Errc::InvalidArgument,
                    std::string(what) + ": not a number: '" + std::string(word) + "'");
    return value;
}

} // namespace

ControlRequest parse_control_request(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    std::istringstream in{std::string(text)};
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    if (words.empty())
        throw Error(Errc::InvalidArgument, "empty request");

    using K = ControlRequest::Kind;
    struct Verb {
        std::string_view name;
        K kind;
        size_t args;
    };
    static constexpr Verb verbs[] = {
        {"start", K::Start, 0},
        {"state", K::State, 0},
        {"subscribe", K::Subscribe, 0},
        {"stop", K::Stop, 1},
        {"kill", K::Kill, 1},
        {"reboot", K::Reboot, 0},
        {"freeze", K::Freeze, 0},
        {"thaw", K::Thaw, 0},
        {"console", K::Console, 0},
        {"console-log", K::ConsoleLog, 1},
        {"console-rotate", K::ConsoleRotate, 0},
    };
    for (const auto& v : verbs) {
        if (v.name != words[0])
            continue;
        if (words.size() - 1 != v.args)
            throw Error(Errc::InvalidArgument,
                        "usage: " + std::string(v.name) + (v.args ? " <number>" : ""));
        ControlRequest r{v.kind, 0};
        if (words.size() == 2)
            r.arg = parse_int(words[1], words[0]);
        if (r.kind == K::Kill && (r.arg <= 0 || r.arg >= NSIG))
            throw Error(Errc::InvalidArgument, "kill: invalid signal " + words[1]);
        if (r.kind == K::ConsoleLog && r.arg != 0 && r.arg != 1)
            throw Error(Errc::InvalidArgument, "console-log: clear must be 0 or 1");
        return r;
    }
    throw Error(Errc::InvalidArgument, "unknown request '" + words[0] + "'");
}

std::string reply_ok(std::string_view detail) {
    return detail.empty() ? "ok" : "ok " + std::string(detail);
}

std::string reply_error(const std::exception& e) {
    const auto* err = dynamic_cast<const Error*>(&e);
    std::string code(Error::code_name(err ? err->code() : Errc::Failed));
    return "error " + code + " " + e.what();
}

} // namespace lxcd::runtime
