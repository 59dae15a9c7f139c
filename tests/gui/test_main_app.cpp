#define BOOST_TEST_MODULE workstation
#include <boost/test/unit_test.hpp>
