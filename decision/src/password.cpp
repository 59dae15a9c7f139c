#include "consilium/decision/password.h"

#include "consilium/decision/crypto.h"

#include <openssl/evp.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace consilium::decision {
namespace {

std::vector<unsigned char> derive(std::string_view password, const std::vector<unsigned char>& salt, int iterations) {
    std::vector<unsigned char> key(32);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                          iterations, EVP_sha256(), static_cast<int>(key.size()), key.data()) != 1)
        throw std::runtime_error("password hashing failed");
    return key;
}

}  // namespace

std::string hash_password(std::string_view password, int iterations) {
    auto salt = random_bytes(16);
    auto key = derive(password, salt, iterations);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + base64_encode(salt) + "$" + base64_encode(key);
}

bool verify_password(std::string_view password, std::string_view stored) {
    try {
        auto p1 = stored.find('$');
        auto p2 = stored.find('$', p1 + 1);
        auto p3 = stored.find('$', p2 + 1);
        if (p1 == std::string_view::npos || p2 == std::string_view::npos || p3 == std::string_view::npos ||
            stored.substr(0, p1) != "pbkdf2-sha256")
            return false;
        int iterations = std::stoi(std::string(stored.substr(p1 + 1, p2 - p1 - 1)));
        if (iterations < 1 || iterations > 10'000'000) return false;
        auto salt = base64_decode(stored.substr(p2 + 1, p3 - p2 - 1));
        auto expected = base64_decode(stored.substr(p3 + 1));
        return equal_constant_time(derive(password, salt, iterations), expected);
    } catch (const std::exception&) {
        return false;
    }
}

void burn_password_time(std::string_view password) {
    static const std::vector<unsigned char> salt(16, 0x5a);
    derive(password, salt, kPasswordIterations);
}

}  // namespace consilium::decision
