#pragma once
// A thin RAII layer over SQLite: one connection, prepared statements only, and write
// transactions that roll back unless committed. User data only ever reaches SQL as bound values.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace consilium::decision {

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binding is 1-based, as in SQLite. Returns *this so calls chain.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::nullptr_t);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    Statement& bind_blob(int index, const void* data, int size);

    // Advances; true while a row is available.
    bool step();
    // Runs a statement that returns no rows (or ignores them) and resets it.
    void run();
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string_view text_view(int column) const;  // valid until the next step/reset
    std::optional<std::string> optional_text(int column) const;
    std::optional<double> optional_real(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
public:
    enum class Mode { open_existing, create };
    Database(const std::filesystem::path& file, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Static SQL only (schema, pragmas): never SQL holding user data.
    void exec(const char* sql);
    // A prepared statement, kept for reuse by its SQL text; reset and unbound when handed out.
    Statement& statement(const char* sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    int user_version();
    const std::filesystem::path& file() const { return file_; }
    sqlite3* handle() { return db_; }

private:
    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// BEGIN IMMEDIATE on construction (so concurrent writers queue instead of failing halfway),
// ROLLBACK on destruction unless commit() was called.
class WriteTransaction {
public:
    explicit WriteTransaction(Database& db);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();
    bool committed() const { return committed_; }
private:
    Database& db_;
    bool committed_ = false;
};

}  // namespace consilium::decision
