#pragma once
// The exceptions the clinical core throws. Every boundary (CLI, GUI, plugin host) turns them
// into one clear message and an exit code; none of them ever leaves data half-written, because
// they are thrown before commit and the transaction rolls back.
#include <stdexcept>
#include <string>

namespace consilium::decision {

// Input that cannot be accepted: a malformed file, a wrong type, a dangling reference.
// `where` names the object and the place (file, line/offset, entry index, field).
class InputError : public std::runtime_error {
public:
    InputError(std::string where, const std::string& what)
        : std::runtime_error(where.empty() ? what : where + ": " + what), where_(std::move(where)) {}
    const std::string& where() const { return where_; }
private:
    std::string where_;
};

// Authentication failed or the role may not do this.
class NotPermitted : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A named patient, user, suggestion... does not exist.
class NotFound : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The database itself failed (I/O, corruption, locked too long).
class StoreError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace consilium::decision
