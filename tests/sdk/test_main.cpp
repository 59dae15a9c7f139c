#define BOOST_TEST_MODULE sdk
#include <boost/test/unit_test.hpp>
