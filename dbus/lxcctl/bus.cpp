#include "bus.hpp"

#include "error.hpp"

#include <cerrno>

namespace lxcctl::bus {

namespace {

using lxcd::Errc;
using lxcd::Error;

void check(int r, const char* what) {
    if (r < 0)
        lxcd::throw_errno(std::string("D-Bus: ") + what, -r);
}

// An error reply as lxcctl reports it: lxcd's own errors and a refused call by their
// message alone, anything else with its D-Bus name.
[[noreturn]] void throw_reply_error(const sd_bus_error& e, int r) {
    if (!e.name)
        lxcd::throw_errno("D-Bus call", -r);
    const std::string name = e.name;
    const std::string message = e.message ? e.message : "";
    if (name == SD_BUS_ERROR_SERVICE_UNKNOWN)
        throw Error(Errc::Failed, "lxcd is not running (" + message + ")");
    bool ours = name.rfind("org.lxcd1.Error.", 0) == 0 || name == SD_BUS_ERROR_ACCESS_DENIED;
    throw Error(Error::code_from_dbus_name(name), ours ? message : name + ": " + message);
}

} // namespace

template <typename T> const T& get(const Value& value, const std::string& name) {
    if (const T* v = std::get_if<T>(&value))
        return *v;
    throw Error(Errc::Failed, "lxcd sent property " + name + " with an unexpected type");
}

template <typename T> const T& get(const Properties& props, const std::string& name) {
    auto it = props.find(name);
    if (it == props.end())
        throw Error(Errc::Failed, "lxcd sent no property " + name);
    return get<T>(it->second, name);
}

#define LXCCTL_VALUE_TYPE(T)                                                                       \
    template const T& get(const Value&, const std::string&);                                       \
    template const T& get(const Properties&, const std::string&);
LXCCTL_VALUE_TYPE(std::string)
LXCCTL_VALUE_TYPE(bool)
LXCCTL_VALUE_TYPE(uint64_t)
LXCCTL_VALUE_TYPE(int64_t)
LXCCTL_VALUE_TYPE(std::vector<std::string>)
#undef LXCCTL_VALUE_TYPE

Message& Message::operator<<(const std::string& s) {
    return *this << s.c_str();
}

Message& Message::operator<<(const char* s) {
    check(sd_bus_message_append_basic(get(), 's', s), "build a call");
    return *this;
}

Message& Message::operator<<(bool b) {
    int v = b;
    check(sd_bus_message_append_basic(get(), 'b', &v), "build a call");
    return *this;
}

Message& Message::operator<<(uint32_t u) {
    check(sd_bus_message_append_basic(get(), 'u', &u), "build a call");
    return *this;
}

Message& Message::operator<<(int32_t i) {
    check(sd_bus_message_append_basic(get(), 'i', &i), "build a call");
    return *this;
}

Message& Message::operator<<(const std::vector<std::string>& strings) {
    check(sd_bus_message_open_container(get(), 'a', "s"), "build a call");
    for (const auto& s : strings)
        *this << s;
    check(sd_bus_message_close_container(get()), "build a call");
    return *this;
}

Message& Message::operator<<(const Properties& dict) {
    check(sd_bus_message_open_container(get(), 'a', "{sv}"), "build a call");
    for (const auto& [key, value] : dict) {
        check(sd_bus_message_open_container(get(), 'e', "sv"), "build a call");
        *this << key;
        // Options lxcctl sends are strings and flags.
        if (const auto* s = std::get_if<std::string>(&value)) {
            check(sd_bus_message_open_container(get(), 'v', "s"), "build a call");
            *this << *s;
        } else if (const auto* b = std::get_if<bool>(&value)) {
            check(sd_bus_message_open_container(get(), 'v', "b"), "build a call");
            *this << *b;
        } else {
            throw Error(Errc::InvalidArgument, "option " + key + ": not a string or a flag");
        }
        check(sd_bus_message_close_container(get()), "build a call");
        check(sd_bus_message_close_container(get()), "build a call");
    }
    check(sd_bus_message_close_container(get()), "build a call");
    return *this;
}

void Message::read_into(std::string& s) {
    char type = 0;
    check(sd_bus_message_peek_type(get(), &type, nullptr), "read a reply");
    const char* p = nullptr;
    if (type != 's' && type != 'o')
        throw Error(Errc::Failed, std::string("D-Bus: expected a string, got '") + type + "'");
    check(sd_bus_message_read_basic(get(), type, &p), "read a reply");
    s = p;
}

void Message::read_into(bool& b) {
    int v = 0;
    check(sd_bus_message_read_basic(get(), 'b', &v), "read a reply");
    b = v;
}

void Message::read_into(uint32_t& u) {
    check(sd_bus_message_read_basic(get(), 'u', &u), "read a reply");
}

void Message::read_into(int32_t& i) {
    check(sd_bus_message_read_basic(get(), 'i', &i), "read a reply");
}

void Message::read_into(Value& v) {
    const char* contents = nullptr;
    check(sd_bus_message_peek_type(get(), nullptr, &contents), "read a reply");
    const std::string sig = contents ? contents : "";
    enter('v');
    if (sig == "s" || sig == "o") {
        v = read<std::string>();
    } else if (sig == "b") {
        v = read<bool>();
    } else if (sig == "u") {
        v = uint64_t{read<uint32_t>()};
    } else if (sig == "i") {
        v = int64_t{read<int32_t>()};
    } else if (sig == "t") {
        uint64_t t = 0;
        check(sd_bus_message_read_basic(get(), 't', &t), "read a reply");
        v = t;
    } else if (sig == "as") {
        v = read<std::vector<std::string>>();
    } else {
        // A type lxcctl has no use for (a newer lxcd's property): skip it.
        check(sd_bus_message_skip(get(), contents), "read a reply");
        v = std::string();
    }
    leave();
}

void Message::enter(char type) {
    // A null contents signature enters whatever container of that type comes next.
    int r = sd_bus_message_enter_container(get(), type, nullptr);
    check(r, "read a reply");
    if (r == 0)
        throw Error(Errc::Failed, "D-Bus: a reply ended early");
}

void Message::leave() {
    check(sd_bus_message_exit_container(get()), "read a reply");
}

bool Message::at_end() {
    int r = sd_bus_message_at_end(get(), false);
    check(r, "read a reply");
    return r > 0;
}

Connection::Connection(bool user_bus) {
    sd_bus* raw = nullptr;
    int r = user_bus ? sd_bus_open_user(&raw) : sd_bus_open_system(&raw);
    if (r < 0)
        lxcd::throw_errno(user_bus ? "connect to the user bus" : "connect to the system bus", -r);
    bus_.reset(raw);
}

void Connection::set_call_timeout(uint64_t usec) {
    check(sd_bus_set_method_call_timeout(bus_.get(), usec), "set the call timeout");
}

Message Connection::new_call(const char* destination, const std::string& path,
                             const char* interface, const char* member) {
    sd_bus_message* raw = nullptr;
    check(sd_bus_message_new_method_call(bus_.get(), &raw, destination, path.c_str(), interface,
                                         member),
          "build a call");
    return Message(MessagePtr(raw));
}

Message Connection::call(Message& m, uint64_t timeout_usec) {
    lxcd::SdBusError error;
    sd_bus_message* raw = nullptr;
    int r = sd_bus_call(bus_.get(), m.get(), timeout_usec, &error.error, &raw);
    if (r < 0)
        throw_reply_error(error.error, r);
    return Message(MessagePtr(raw));
}

SlotPtr Connection::add_match(const char* sender, const char* path, const char* interface,
                              const char* member, sd_bus_message_handler_t callback,
                              void* userdata) {
    sd_bus_slot* raw = nullptr;
    check(sd_bus_match_signal_async(bus_.get(), &raw, sender, path, interface, member, callback,
                                    nullptr, userdata),
          "subscribe to signals");
    return SlotPtr(raw);
}

void Connection::process_or_wait(uint64_t timeout_usec) {
    int r = sd_bus_process(bus_.get(), nullptr);
    check(r, "process messages");
    if (r == 0)
        check(sd_bus_wait(bus_.get(), timeout_usec), "wait for messages");
}

} // namespace lxcctl::bus
