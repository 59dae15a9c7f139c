#pragma once
#include "consilium/decision/roles.h"

#include <cstdint>
#include <string>

namespace consilium::decision {

struct User {
    std::int64_t id = 0;
    std::string name;
    Role role = Role::physician;
    bool demo = false;     // created by `init --demo`: its password is its name
    bool active = true;
    std::string created_at;
};

}  // namespace consilium::decision
