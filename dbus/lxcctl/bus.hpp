// lxcctl's D-Bus client on sd-bus directly: a connection, method calls built from C++
// values and replies read back into them. lxcctl is a short-lived process, so it avoids
// sdbus-c++ (and with it the shared libstdc++): their loading and relocations cost about
// a millisecond on every command (bench/RESULTS.md).
#pragma once

#include "sd_bus_handles.hpp"

#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace lxcctl::bus {

using MessagePtr = lxcd::SdBusMessagePtr;
using SlotPtr = lxcd::SdBusSlotPtr;

// A variant ('v') of the types lxcd's properties and options use; D-Bus 'u' and 't'
// read as uint64_t, 'i' as int64_t.
using Value = std::variant<std::string, bool, uint64_t, int64_t, std::vector<std::string>>;
using Properties = std::map<std::string, Value>;

// The value of a property named name; lxcd::Error(Failed) naming it when it is missing or
// has another type.
template <typename T> const T& get(const Value& value, const std::string& name);
template <typename T> const T& get(const Properties& props, const std::string& name);

// A message being built (a call) or read (a reply or signal). Errors throw lxcd::Error.
// Strings go as 's'; object paths in replies read as strings.
class Message {
  public:
    explicit Message(MessagePtr m) : m_(std::move(m)) {}
    sd_bus_message* get() const { return m_.get(); }

    Message& operator<<(const std::string& s);
    Message& operator<<(const char* s);
    Message& operator<<(bool b);
    Message& operator<<(uint32_t u);
    Message& operator<<(int32_t i);
    Message& operator<<(const std::vector<std::string>& strings);
    Message& operator<<(const Properties& dict); // a{sv}

    template <typename T> T read() {
        T value;
        read_into(value);
        return value;
    }

  private:
    void read_into(std::string& s); // 's' or 'o'
    void read_into(bool& b);
    void read_into(uint32_t& u);
    void read_into(int32_t& i);
    void read_into(Value& v);
    template <typename T> void read_into(std::vector<T>& items) {
        enter('a');
        while (!at_end())
            items.push_back(read<T>());
        leave();
    }
    template <typename K, typename V> void read_into(std::map<K, V>& dict) {
        enter('a');
        while (!at_end()) {
            enter('e');
            K key = read<K>();
            dict.emplace(std::move(key), read<V>());
            leave();
        }
        leave();
    }
    template <typename... T> void read_into(std::tuple<T...>& fields) {
        enter('r');
        std::apply([this](auto&... f) { (this->read_into(f), ...); }, fields);
        leave();
    }
    void enter(char type);
    void leave();
    bool at_end();

    MessagePtr m_;
};

// A connection to the system bus, or to the caller's user bus for lxcctl --user.
class Connection {
  public:
    explicit Connection(bool user_bus);
    void set_call_timeout(uint64_t usec);

    Message new_call(const char* destination, const std::string& path, const char* interface,
                     const char* member);
    // Sends and waits; timeout 0 is the connection's method call timeout.
    Message call(Message& m, uint64_t timeout_usec = 0);
    // Delivers matching signals to handler until the returned slot goes. The match is
    // installed asynchronously: the bus daemon handles it before any later call of ours.
    template <typename F>
    SlotPtr on_signal(const char* sender, const char* path, const char* interface,
                      const char* member, F& handler) {
        return add_match(sender, path, interface, member, &dispatch<F>, &handler);
    }
    // Processes what arrived, or waits up to timeout_usec (UINT64_MAX: forever) for more.
    void process_or_wait(uint64_t timeout_usec);

  private:
    template <typename F> static int dispatch(sd_bus_message* m, void* handler, sd_bus_error*) {
        // Nothing may unwind through sd-bus: a signal lxcctl cannot read is dropped.
        try {
            Message signal{MessagePtr(sd_bus_message_ref(m))};
            (*static_cast<F*>(handler))(signal);
        } catch (const std::exception&) {
        }
        return 0;
    }
    SlotPtr add_match(const char* sender, const char* path, const char* interface,
                      const char* member, sd_bus_message_handler_t callback, void* userdata);

    lxcd::SdBusPtr bus_;
};

} // namespace lxcctl::bus
