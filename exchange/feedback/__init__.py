"""Messages to the people who run the exchange: feedback, and requests to add a council's email domain."""
