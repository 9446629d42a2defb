"""The TwiML each step of a call answers with, built with the twilio SDK."""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from hotline.voice.script import IvrScript

PATHS = {
    "menu": "/hotline/voice/menu",
    "speech": "/hotline/voice/speech",
    "wait": "/hotline/voice/wait",
    "queue_exit": "/hotline/voice/queue-exit",
    "voicemail_done": "/hotline/voice/voicemail",
    "recording": "/hotline/voice/recording",
    "transcription": "/hotline/voice/transcription",
}


class Twiml:
    """Builds responses in the caller's language, with absolute public callback URLs."""

    def __init__(self, script: IvrScript, base_url: str, language: str) -> None:
        self.script = script
        self.base = base_url.rstrip("/")
        self.language = language

    def url(self, name: str) -> str:
        return self.base + PATHS[name]

    def _say(self, target: VoiceResponse, prompt: str) -> None:
        target.say(
            self.script.say(self.language, prompt),
            language=self.language,
            voice=self.script.voice(self.language),
        )

    def menu(self, *, greet: bool, apology: bool = False) -> str:
        response = VoiceResponse()
        gather = response.gather(
            input="dtmf speech",
            language=self.language,
            action=self.url("menu"),
            method="POST",
            num_digits=1,
            timeout=self.script.gather_timeout_seconds,
            speech_timeout="auto",
            # Recognition leans towards these: "查询进度" heard as such, not as a new request.
            hints=", ".join(self.script.progress.spoken_phrases) or None,
        )
        if apology:
            self._say(gather, "not_understood")
        if greet:
            self._say(gather, "greeting")
        self._say(gather, "menu")
        # No key and no words: the caller is put through to an operator.
        response.redirect(self.url("menu"), method="POST")
        return str(response)

    def describe(self, *, emergency: bool) -> str:
        response = VoiceResponse()
        if emergency:
            self._say(response, "emergency")
        gather = response.gather(
            input="speech",
            language=self.language,
            action=self.url("speech"),
            method="POST",
            timeout=self.script.gather_timeout_seconds,
            speech_timeout="auto",
        )
        self._say(gather, "describe")
        response.redirect(self.url("speech"), method="POST")
        return str(response)

    def progress(self, lines: list[str] | None) -> str:
        """查询进度 read out (None: no caller id to look up), then 0 for an operator or goodbye."""
        response = VoiceResponse()
        if lines is None:
            self._say(response, "progress_no_number")
        elif not lines:
            self._say(response, "progress_none")
        else:
            self._say(response, "progress_intro")
            for line in lines:
                response.say(line, language=self.language, voice=self.script.voice(self.language))
        gather = response.gather(
            input="dtmf",
            action=self.url("menu"),
            method="POST",
            num_digits=1,
            timeout=self.script.gather_timeout_seconds,
        )
        self._say(gather, "progress_after")
        # Unlike the menu, silence here is not a wish for an operator: the caller has heard it.
        self._say(response, "goodbye")
        response.hangup()
        return str(response)

    def enqueue(self) -> str:
        response = VoiceResponse()
        self._say(response, "queued")
        response.enqueue(
            self.script.queue,
            action=self.url("queue_exit"),
            method="POST",
            wait_url=self.url("wait"),
            wait_url_method="POST",
        )
        return str(response)

    def hold(self, queue_seconds: int) -> str:
        response = VoiceResponse()
        if queue_seconds >= self.script.voicemail_after_seconds:
            response.leave()  # the Enqueue action then offers voicemail
            return str(response)
        self._say(response, "hold")
        response.pause(length=10)
        return str(response)

    def voicemail(self) -> str:
        response = VoiceResponse()
        self._say(response, "voicemail")
        response.record(
            action=self.url("voicemail_done"),
            method="POST",
            max_length=self.script.voicemail_max_seconds,
            play_beep=True,
            finish_on_key="#",
            transcribe=True,
            transcribe_callback=self.url("transcription"),
            recording_status_callback=self.url("recording"),
            recording_status_callback_method="POST",
        )
        self._say(response, "goodbye")
        response.hangup()
        return str(response)

    def goodbye(self, prompt: str = "goodbye") -> str:
        response = VoiceResponse()
        self._say(response, prompt)
        response.hangup()
        return str(response)

    @staticmethod
    def empty() -> str:
        return str(VoiceResponse())
