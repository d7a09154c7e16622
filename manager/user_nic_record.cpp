#include "user_nic_record.hpp"

#include <fstream>
#include <sstream>

#include "error.hpp"
#include "state_dir.hpp"

namespace lxcd {

void write_user_nic_record(const std::filesystem::path& dir, const UserNicRecord& r) {
    std::ostringstream text;
    text << r.uid << ' ' << r.bridge << ' ' << r.host_ifindex << ' ' << r.owner.pid << ' '
         << r.owner.start_time << ' ' << r.container << '\n';
    std::filesystem::create_directories(dir);
    runtime::write_file_atomic(dir, r.host_name, text.str());
}

std::vector<UserNicRecord> read_user_nic_records(const std::filesystem::path& dir) {
    std::vector<UserNicRecord> records;
    std::error_code ec;
    for (const auto& file : std::filesystem::directory_iterator(dir, ec)) {
        if (!file.is_regular_file() || file.path().filename().string().front() == '.')
            continue; // write_file_atomic's temporary files
        std::ifstream in(file.path());
        UserNicRecord r;
        r.host_name = file.path().filename().string();
        if (!(in >> r.uid >> r.bridge >> r.host_ifindex >> r.owner.pid >> r.owner.start_time) ||
            !std::getline(in >> std::ws, r.container) || r.container.empty())
            throw Error(Errc::InvalidArgument,
                        file.path().string() + ": malformed network device record");
        records.push_back(std::move(r));
    }
    return records;
}

void remove_user_nic_record(const std::filesystem::path& dir, const std::string& host_name) {
    std::error_code ec;
    std::filesystem::remove(dir / host_name, ec);
}

} // namespace lxcd
