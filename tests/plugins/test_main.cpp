#define BOOST_TEST_MODULE plugins
#include <boost/test/unit_test.hpp>
