#pragma once
// Password hashing: PBKDF2-HMAC-SHA256 with a per-user random salt. The stored form carries its
// own iteration count, so raising the default later does not lock anybody out.
#include <string>
#include <string_view>

namespace consilium::decision {

inline constexpr int kPasswordIterations = 310000;  // OWASP 2023 guidance for PBKDF2-SHA256 was 600k; 310k keeps
                                                   // each CLI call's login near 0.2 s on 2 cores

// "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>"
std::string hash_password(std::string_view password, int iterations = kPasswordIterations);

// Constant-time comparison; false for a malformed stored form.
bool verify_password(std::string_view password, std::string_view stored);

// Spends the same time as a verification, so an unknown user name is not revealed by timing.
void burn_password_time(std::string_view password);

}  // namespace consilium::decision
