#include "consilium/pacs/dicom_uid.h"

#include "consilium/decision/crypto.h"

#include <array>
#include <cstdint>
#include <random>

namespace consilium::pacs {
namespace {

using Limbs = std::array<std::uint32_t, 4>;  // 128 bits, most significant first

std::string as_uid(Limbs limbs, std::uint32_t version) {
    limbs[1] = (limbs[1] & 0xffff0fffu) | (version << 12);
    limbs[2] = (limbs[2] & 0x3fffffffu) | 0x80000000u;  // RFC 4122 variant
    // Decimal digits by repeated division of the 128-bit number by 10.
    std::string digits;
    bool nonzero = true;
    while (nonzero) {
        std::uint64_t remainder = 0;
        nonzero = false;
        for (auto& limb : limbs) {
            const std::uint64_t value = (remainder << 32) | limb;
            limb = static_cast<std::uint32_t>(value / 10);
            remainder = value % 10;
            nonzero = nonzero || limb != 0;
        }
        digits.insert(digits.begin(), static_cast<char>('0' + remainder));
    }
    return "2.25." + digits;
}

}  // namespace

std::string new_dicom_uid() {
    static thread_local std::random_device device;
    return as_uid({device(), device(), device(), device()}, 4);
}

std::string dicom_uid_for_name(std::string_view name) {
    const auto hex = decision::sha256_hex(std::string(name));
    Limbs limbs{};
    for (std::size_t i = 0; i < 4; ++i) limbs[i] = static_cast<std::uint32_t>(std::stoul(hex.substr(i * 8, 8), nullptr, 16));
    return as_uid(limbs, 8);
}

}  // namespace consilium::pacs
