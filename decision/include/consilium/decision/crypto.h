#pragma once
// Hashing and randomness for the audit chain and for passwords (OpenSSL underneath).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::decision {

std::string sha256_hex(std::string_view data);

// Incremental SHA-256 for data that arrives in pieces (files, canonical audit entries).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void reset();
    void update(std::string_view data);
    std::string hex();  // finishes; call reset() to reuse
    void hex_into(char out[64]);  // finishes, without allocating
private:
    void* ctx_;
};

std::vector<unsigned char> random_bytes(std::size_t n);
std::string base64_encode(const std::vector<unsigned char>& data);
std::vector<unsigned char> base64_decode(std::string_view text);  // throws std::invalid_argument

// Compares in time independent of where the inputs first differ.
bool equal_constant_time(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b);

}  // namespace consilium::decision
